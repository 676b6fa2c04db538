package dev.clawrate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The local run's alert receiver: takes Alertmanager webhook payloads, as a tenant's {@code
 * webhook} receiver is sent, and says one line per alert ({@code alert acme-bank firing
 * availability severity=page burn=1000 regions=local}). Listens on the loopback interface only.
 */
public final class DemoAlertReceiver implements AutoCloseable {

  private static final int MAX_BODY = 1024 * 1024;
  private static final Pattern WORD = Pattern.compile("[-a-zA-Z0-9._<>, ]{0,200}");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final Consumer<String> say;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private DemoAlertReceiver(HttpServer server, Consumer<String> say) {
    this.server = server;
    this.say = say;
  }

  /**
   * @param say where each line goes
   */
  public static DemoAlertReceiver start(Consumer<String> say) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    DemoAlertReceiver receiver = new DemoAlertReceiver(server, say);
    server.createContext("/", receiver::handle);
    server.setExecutor(receiver.executor);
    server.start();
    return receiver;
  }

  /** Where to send notifications. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
  }

  /** The lines said so far, oldest first. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        exchange.sendResponseHeaders(413, -1);
        return;
      }
      List<String> said;
      try {
        said = linesOf(MAPPER.readTree(body));
      } catch (IOException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      said.forEach(
          line -> {
            lines.add(line);
            say.accept(line);
          });
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** One line per alert of an Alertmanager webhook payload; fields that are not words show as ?. */
  static List<String> linesOf(JsonNode payload) {
    List<String> out = new ArrayList<>();
    for (JsonNode alert : payload.path("alerts")) {
      JsonNode labels = alert.path("labels");
      JsonNode annotations = alert.path("annotations");
      StringBuilder line =
          new StringBuilder("alert ")
              .append(word(labels.path("tenant")))
              .append(' ')
              .append(word(alert.path("status")))
              .append(' ')
              .append(word(labels.path("objective")))
              .append(" severity=")
              .append(word(labels.path("severity")));
      if (annotations.hasNonNull("burn_rate")) {
        line.append(" burn=").append(word(annotations.path("burn_rate")));
      }
      if (annotations.hasNonNull("regions") && !annotations.path("regions").asText().isEmpty()) {
        line.append(" regions=").append(word(annotations.path("regions")));
      }
      out.add(line.toString());
    }
    return out;
  }

  private static String word(JsonNode node) {
    String text = node.isValueNode() ? node.asText() : "";
    return !text.isEmpty() && WORD.matcher(text).matches() ? text : "?";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
