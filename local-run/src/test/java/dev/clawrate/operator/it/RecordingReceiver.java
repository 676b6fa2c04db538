package dev.clawrate.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real HTTP server standing in for Slack, PagerDuty or an Alertmanager: records every request's
 * JSON body and the status it answered, 200 unless a status was scripted for the next requests.
 */
final class RecordingReceiver implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One request as received, and what it was answered. */
  record Received(String path, JsonNode body, int answered) {}

  private final MockWebServer server = new MockWebServer();
  private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();

  RecordingReceiver() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            MockResponse response = scripted.poll();
            if (response == null) {
              response = new MockResponse().setResponseCode(200).setBody("ok");
            }
            JsonNode body;
            try {
              body = MAPPER.readTree(request.getBody().readUtf8());
            } catch (IOException e) {
              body = MAPPER.createObjectNode().put("unparsable", true);
            }
            received.add(new Received(request.getPath(), body, code(response)));
            return response;
          }
        });
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int code(MockResponse response) {
    String[] parts = response.getStatus().split(" ");
    return Integer.parseInt(parts[1]);
  }

  /** Answers the next requests with these responses, in order, then 200 again. */
  void script(MockResponse... responses) {
    scripted.addAll(List.of(responses));
  }

  String url(String path) {
    return server.url(path).toString();
  }

  /** Every request so far whose body matches. */
  List<Received> matching(Predicate<JsonNode> body) {
    List<Received> out = new ArrayList<>();
    for (Received request : received) {
      if (body.test(request.body())) {
        out.add(request);
      }
    }
    return out;
  }

  /** Forgets what was received so far. */
  void clear() {
    received.clear();
  }

  List<Received> all() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
