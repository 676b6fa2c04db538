package dev.clawrate.operator.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the answer of a Prometheus instant query ({@code {"status": "success", "data":
 * {"resultType": "vector", "result": [{"metric": {...}, "value": [time, "value"]}, ...]}}}) as it
 * streams in, handing each series on as it is read: an answer for every tenant of a region holds
 * hundreds of thousands of series, which as a tree would take ten times the answer's size.
 *
 * <p>Series are handed on before the answer is known to be a successful vector (its members may
 * come in any order): a caller keeps what it was handed only when {@link #read} returns.
 */
final class QueryAnswer {

  // The body is read to its end after the JSON value, through its limit: the parser must not close
  // it.
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  /** Receives each series of the vector with a readable value. */
  interface SeriesSink {
    /**
     * @param pod the series' {@code pod} label, "" without one; unchecked
     * @param sample the series as a sample of the query's metric, without its {@code pod} label
     */
    void accept(String pod, MetricSample sample);
  }

  /** The answer is not a successful instant vector; the message says which, in our words. */
  static final class NotAVectorException extends Exception {
    private static final long serialVersionUID = 1L;

    NotAVectorException(String message) {
      super(message);
    }
  }

  private QueryAnswer() {}

  /**
   * @param metric the name the series are handed on under
   * @throws NotAVectorException when the answer is not JSON, not a success or not an instant vector
   * @throws IOException when reading the body fails (a {@link BodyTooLargeException} among them)
   */
  static void read(InputStream in, String metric, String podLabel, SeriesSink sink)
      throws IOException, NotAVectorException {
    String status = null;
    Data data = new Data();
    try (JsonParser json = JSON.createParser(in)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw notSuccessful();
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("status")) {
          status = value == JsonToken.VALUE_STRING ? json.getText() : null;
        } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
          data.read(json, metric, podLabel, sink);
        } else {
          json.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw notSuccessful();
    }
    // A body over its limit is refused as a whole, whatever follows the value.
    in.transferTo(OutputStream.nullOutputStream());
    if (!"success".equals(status)) {
      throw notSuccessful();
    }
    if (!"vector".equals(data.resultType) || !data.resultIsArray) {
      throw new NotAVectorException("the answer is not an instant vector");
    }
  }

  /** Whether a loop over a structure goes on: not at its end, nor at the input's. */
  private static boolean untilEnd(JsonToken token, JsonToken end) throws JsonProcessingException {
    if (token == null) {
      throw new JsonEOFException(null, null, "the answer ends inside a structure");
    }
    return token != end;
  }

  private static NotAVectorException notSuccessful() {
    return new NotAVectorException("the answer is not a successful query result");
  }

  /** The {@code data} member, read once. */
  private static final class Data {
    private String resultType;
    private boolean resultIsArray;

    void read(JsonParser json, String metric, String podLabel, SeriesSink sink) throws IOException {
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("resultType")) {
          resultType = value == JsonToken.VALUE_STRING ? json.getText() : null;
        } else if (field.equals("result") && value == JsonToken.START_ARRAY) {
          resultIsArray = true;
          while (untilEnd(json.nextToken(), JsonToken.END_ARRAY)) {
            series(json, metric, podLabel, sink);
          }
        } else {
          json.skipChildren();
        }
      }
    }
  }

  /** One element of the result, the parser on its first token. */
  private static void series(JsonParser json, String metric, String podLabel, SeriesSink sink)
      throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      json.skipChildren();
      return;
    }
    Map<String, String> labels = new HashMap<>();
    String value = null;
    boolean valueRead = false;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken token = json.nextToken();
      if (field.equals("metric") && token == JsonToken.START_OBJECT) {
        labels(json, labels);
      } else if (field.equals("value") && token == JsonToken.START_ARRAY) {
        value = value(json);
        valueRead = true;
      } else {
        json.skipChildren();
      }
    }
    if (!valueRead || value == null) {
      return;
    }
    double number;
    try {
      number = PrometheusText.parseValue(value);
    } catch (NumberFormatException e) {
      return;
    }
    String pod = labels.remove(podLabel);
    sink.accept(pod == null ? "" : pod, new MetricSample(metric, labels, number));
  }

  /** The labels whose values are strings; others are passed over. */
  private static void labels(JsonParser json, Map<String, String> labels) throws IOException {
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String label = json.currentName();
      if (json.nextToken() == JsonToken.VALUE_STRING) {
        labels.put(label, json.getText());
      } else {
        json.skipChildren();
      }
    }
  }

  /** The string value of {@code [time, "value"]}, or null when the pair is not that. */
  private static String value(JsonParser json) throws IOException {
    int elements = 0;
    String value = null;
    JsonToken token;
    while (untilEnd(token = json.nextToken(), JsonToken.END_ARRAY)) {
      elements++;
      if (elements == 2 && token == JsonToken.VALUE_STRING) {
        value = json.getText();
      } else {
        json.skipChildren();
      }
    }
    return elements == 2 ? value : null;
  }
}
