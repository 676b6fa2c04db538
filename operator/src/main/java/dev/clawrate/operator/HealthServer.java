package dev.clawrate.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clawrate.operator.served.RegionHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's probes and metrics: {@code /healthz}, {@code /readyz} (caches synced), {@code
 * /metrics}, and {@code /v1/regions}: each region's health as JSON, for a global load balancer or a
 * script to act on. A handful of requests a minute, so the JDK's own HTTP server is enough.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private static final ObjectMapper JSON = new ObjectMapper();

  public HealthServer(
      int port,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry,
      Supplier<List<RegionHealth>> regions,
      BooleanSupplier leader)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Threads.single("clawrate-operator-http"));
    server.createContext("/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        exchange ->
            send(
                exchange,
                ready.getAsBoolean() ? 200 : 503,
                "text/plain",
                ready.getAsBoolean() ? "ready\n" : "caches not synced\n"));
    server.createContext(
        "/metrics",
        exchange ->
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext(
        "/v1/regions",
        exchange ->
            send(
                exchange,
                200,
                "application/json",
                regionsJson(leader.getAsBoolean(), regions.get())));
  }

  /**
   * @param leader whether this replica publishes: a standby's figures are not current, and a reader
   *     should ask the leader
   */
  static String regionsJson(boolean leader, List<RegionHealth> regions) {
    ObjectNode root = JSON.createObjectNode();
    root.put("leader", leader);
    ArrayNode list = root.putArray("regions");
    for (RegionHealth health : regions) {
      ObjectNode region = list.addObject();
      region.put("name", health.region());
      region.put("state", health.state());
      region.put("revision", health.revision());
      region.put("ratersLive", health.ratersLive());
      region.put("ratersCurrent", health.ratersCurrent());
      region.put("ratersRefusing", health.ratersRefusing());
      if (health.reason() != null) {
        region.put("reason", health.reason());
      }
    }
    return root.toString() + "\n";
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
