package dev.clawrate.rater.rating;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.clawrate.rater.engine.ModelCallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rates one request body for one tenant: checks the body is a JSON object, wraps it in the ABI
 * input, calls the model, reads its output and renders the rating API's answer. No I/O: the HTTP
 * layer reads the body and writes the answer.
 */
public final class Rater {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] DECISION_APPROVE =
      ",\"decision\":\"approve\",\"result\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DECISION_DECLINE =
      ",\"decision\":\"decline\",\"result\":".getBytes(StandardCharsets.UTF_8);

  private Rater() {}

  public static Rating rate(TenantRoute route, byte[] body, int bodyLength) throws RatingException {
    checkJsonObject(body, bodyLength);
    byte[] output;
    try {
      output = route.runtime().call(abiInput(route, body, bodyLength));
    } catch (ModelCallException e) {
      throw new RatingException(outcomeOf(e.failure()), e.getMessage());
    }
    ModelOutput result = ModelOutput.read(output);
    if (result.error() != null) {
      throw new RatingException(Outcome.MODEL_REJECTED, result.error());
    }
    if (result.ratingText() == null) {
      throw new RatingException(
          Outcome.MODEL_BAD_OUTPUT, "model output has no numeric \"rating\" field");
    }
    Decision decision = Decision.of(result.rating(), route.threshold());
    return new Rating(
        route, result.rating(), decision, response(route, result.ratingText(), decision, output));
  }

  private static void checkJsonObject(byte[] body, int length) throws RatingException {
    try (JsonParser parser = JSON.createParser(body, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new RatingException(Outcome.BAD_REQUEST, "request body must be a JSON object");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new RatingException(
            Outcome.BAD_REQUEST, "request body has content after its JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RatingException(Outcome.BAD_REQUEST, "request body cannot be read: " + e);
    }
  }

  static byte[] abiInput(TenantRoute route, byte[] body, int bodyLength) {
    byte[] prefix = route.inputPrefix();
    byte[] input = new byte[prefix.length + bodyLength + 1];
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    System.arraycopy(body, 0, input, prefix.length, bodyLength);
    input[input.length - 1] = '}';
    return input;
  }

  private static byte[] response(
      TenantRoute route, String rating, Decision decision, byte[] output) {
    byte[] prefix = route.responsePrefix();
    byte[] number = rating.getBytes(StandardCharsets.US_ASCII);
    byte[] middle = decision == Decision.APPROVE ? DECISION_APPROVE : DECISION_DECLINE;
    byte[] response = new byte[prefix.length + number.length + middle.length + output.length + 1];
    int at = 0;
    System.arraycopy(prefix, 0, response, at, prefix.length);
    at += prefix.length;
    System.arraycopy(number, 0, response, at, number.length);
    at += number.length;
    System.arraycopy(middle, 0, response, at, middle.length);
    at += middle.length;
    System.arraycopy(output, 0, response, at, output.length);
    response[response.length - 1] = '}';
    return response;
  }

  private static Outcome outcomeOf(ModelCallException.Failure failure) {
    return switch (failure) {
      case TRAP -> Outcome.MODEL_TRAP;
      case TIMEOUT -> Outcome.MODEL_TIMEOUT;
      case BAD_OUTPUT -> Outcome.MODEL_BAD_OUTPUT;
    };
  }
}
