package dev.clawrate.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend for the gateway's tests: it answers a GET with its name as plain text, and a POST with
 * 422, a JSON body naming it and a fallback header; it remembers the last request it received.
 */
final class TinyBackend implements AutoCloseable {

  /** What a request brought. */
  record Received(
      String method,
      String pathAndQuery,
      String body,
      String contentType,
      String tenant,
      String apiKey) {}

  private final HttpServer server;
  private final AtomicReference<Received> last = new AtomicReference<>();

  TinyBackend(String name) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            var headers = exchange.getRequestHeaders();
            last.set(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    headers.getFirst("Content-Type"),
                    headers.getFirst("X-Tenant-Id"),
                    headers.getFirst("X-Api-Key")));
            boolean post = exchange.getRequestMethod().equals("POST");
            byte[] body =
                (post ? "{\"from\":\"" + name + "\"}" : name).getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", post ? "application/problem+json" : "text/plain");
            if (post) {
              exchange.getResponseHeaders().set("X-Clawrate-Fallback", "model_trap");
            }
            exchange.sendResponseHeaders(post ? 422 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The last request received, or null. */
  Received last() {
    return last.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
