package dev.clawrate.rater.rating;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.metrics.Outcome;
import java.io.IOException;

/**
 * What the rating API needs of a model's output: its numeric {@code rating} or its {@code error}.
 * Read in one streaming pass that also checks the whole output is one well-formed JSON object,
 * without building a tree: the rest is passed through to the caller byte for byte.
 *
 * @param rating the rating, when the output has a numeric one
 * @param ratingText the rating as the model wrote it, or null when there is none
 * @param error the model's rejection message, or null
 */
record ModelOutput(double rating, String ratingText, String error) {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper TREES = new ObjectMapper();

  static ModelOutput read(byte[] output) throws RatingException {
    double rating = Double.NaN;
    String ratingText = null;
    String error = null;
    try (JsonParser parser = JSON.createParser(output)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw badOutput("model output must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("rating")) {
          boolean numeric =
              value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
          rating = numeric ? parser.getDoubleValue() : Double.NaN;
          ratingText = numeric && Double.isFinite(rating) ? parser.getText() : null;
          parser.skipChildren();
        } else if (field.equals("error")) {
          error =
              switch (value) {
                case VALUE_NULL -> null;
                case VALUE_STRING -> parser.getText();
                default -> TREES.readTree(parser).toString();
              };
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw badOutput("model output has content after its JSON object");
      }
    } catch (JsonProcessingException e) {
      throw badOutput("model output is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw badOutput("model output cannot be read: " + e.getMessage());
    }
    return new ModelOutput(rating, ratingText, error);
  }

  private static RatingException badOutput(String message) {
    return new RatingException(Outcome.MODEL_BAD_OUTPUT, message);
  }
}
