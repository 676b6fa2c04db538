package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.operator.traffic.GatewayApiCrds;
import dev.clawrate.operator.traffic.RouteException;
import dev.clawrate.operator.traffic.RouteState;
import dev.clawrate.operator.traffic.RouteWeights;
import dev.clawrate.operator.traffic.WeightSplit;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in gateway in front of two tiny backends: it accepts routes, and sends each request to
 * a backend drawn by the route's weights as the canary moves them.
 */
class LocalGatewayTest {

  private static final String NS = LocalCluster.NAMESPACE;
  private static final String STABLE = "rater-stable";
  private static final String CANARY = "rater-canary";

  private static LocalCluster cluster;
  private static KubernetesClient client;
  private static RouteWeights weights;
  private static TinyBackend stable;
  private static TinyBackend canary;
  private static HttpClient http;

  @BeforeAll
  static void start() throws IOException {
    cluster = LocalCluster.start(0);
    client = cluster.client();
    GatewayApiCrds.install(client);
    weights = new RouteWeights(client, "local");
    stable = new TinyBackend("stable");
    canary = new TinyBackend("canary");
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    stable.close();
    canary.close();
    cluster.close();
  }

  private static Map<String, URI> backends() {
    return Map.of(
        STABLE, stable.url(),
        CANARY, canary.url());
  }

  private static void createRoute(String name, int stableWeight, int canaryWeight) {
    HTTPRoute route =
        Serialization.unmarshal(
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: %s}
            spec:
              parentRefs: [{name: public}]
              rules:
              - backendRefs:
                - {name: rater-stable, port: 8080, weight: %d}
                - {name: rater-canary, port: 8080, weight: %d}
            """
                .formatted(name, stableWeight, canaryWeight),
            HTTPRoute.class);
    client.resources(HTTPRoute.class).inNamespace(NS).resource(route).create();
  }

  /** Moves the route to {@code split} and waits until the gateway has taken it. */
  private static void step(String route, WeightSplit split) throws RouteException {
    long generation = weights.set(NS, route, STABLE, CANARY, split).generation();
    Await.until(
        "the gateway takes generation " + generation + " of " + route,
        () -> {
          RouteState state = observe(route);
          return state.accepted() && state.generation() >= generation;
        });
  }

  private static RouteState observe(String route) {
    try {
      return weights.observe(NS, route, STABLE, CANARY);
    } catch (RouteException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static HttpResponse<String> get(LocalGateway gateway, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(gateway.url().resolve(path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How many of {@code requests} GETs each backend answered, by the gateway's header. */
  private static Map<String, Integer> tally(LocalGateway gateway, int requests) {
    Map<String, Integer> tally = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      HttpResponse<String> response = get(gateway, "/v1/models");
      assertEquals(200, response.statusCode());
      String backend = response.headers().firstValue(LocalGateway.BACKEND_HEADER).orElseThrow();
      assertEquals(backend, "rater-" + response.body(), "the header names who answered");
      tally.merge(backend, 1, Integer::sum);
    }
    return tally;
  }

  @Test
  void trafficFollowsTheWeightsAsTheyMove() throws Exception {
    createRoute("split", 100_000, 0);
    try (LocalGateway gateway = LocalGateway.start(client, NS, "split", backends(), 0)) {
      step("split", WeightSplit.ALL_STABLE);
      assertEquals(Map.of(STABLE, 30), tally(gateway, 30));

      step("split", WeightSplit.ALL_CANARY);
      assertEquals(Map.of(CANARY, 30), tally(gateway, 30));

      step("split", WeightSplit.canaryPercent(50));
      Map<String, Integer> tally = tally(gateway, 300);
      // Binomial(300, 0.5): a standard deviation of 8.7, so 60 is nearly 7 of them. A fair split
      // falls outside about once in 10^12 runs; a 20/80 split falls inside once in 40,000.
      assertTrue(tally.get(STABLE) >= 90 && tally.get(STABLE) <= 210, tally.toString());
      assertEquals(300, tally.get(STABLE) + tally.get(CANARY));
    }
  }

  @Test
  void requestsPassOnAndAnswersComeBackAsTheBackendGaveThem() throws Exception {
    createRoute("forward", 1, 0);
    try (LocalGateway gateway = LocalGateway.start(client, NS, "forward", backends(), 0)) {
      Await.until("the gateway accepts the route", () -> observe("forward").accepted());
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(gateway.url().resolve("/v1/rate?explain=true&x=%2F"))
                  .header("Content-Type", "application/json")
                  .header("X-Tenant-Id", "acme")
                  .header("X-Api-Key", "secret-key")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 12}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(422, response.statusCode());
      assertEquals("{\"from\":\"stable\"}", response.body());
      assertEquals(
          "application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
      assertEquals(
          STABLE, response.headers().firstValue(LocalGateway.BACKEND_HEADER).orElseThrow());
      assertEquals(
          "model_trap", response.headers().firstValue("X-Clawrate-Fallback").orElseThrow());

      assertEquals(
          new TinyBackend.Received(
              "POST",
              "/v1/rate?explain=true&x=%2F",
              "{\"amount\": 12}",
              "application/json",
              "acme",
              "secret-key"),
          stable.last());
    }
  }

  @Test
  void aMissingRouteIsUnavailable() throws Exception {
    try (LocalGateway gateway = LocalGateway.start(client, NS, "absent", backends(), 0)) {
      HttpResponse<String> response = get(gateway, "/v1/rate");
      assertEquals(503, response.statusCode());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
      assertTrue(response.body().contains("\"code\":\"route_not_found\""), response.body());
    }
  }

  @Test
  void aRouteWithNoWeightIsUnavailable() throws Exception {
    createRoute("weightless", 0, 0);
    try (LocalGateway gateway = LocalGateway.start(client, NS, "weightless", backends(), 0)) {
      // Accepted: the gateway's informer holds the route.
      Await.until("the gateway accepts the route", () -> observe("weightless").accepted());
      HttpResponse<String> response = get(gateway, "/v1/rate");
      assertEquals(503, response.statusCode());
      assertTrue(response.body().contains("\"code\":\"no_backend\""), response.body());
      assertTrue(response.headers().firstValue(LocalGateway.BACKEND_HEADER).isEmpty());
    }
  }

  @Test
  void aBackendThatDoesNotAnswerIsABadGateway() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    createRoute("unreachable", 1, 0);
    Map<String, URI> backends = Map.of(STABLE, URI.create("http://127.0.0.1:" + port));
    try (LocalGateway gateway = LocalGateway.start(client, NS, "unreachable", backends, 0)) {
      Await.until("the gateway accepts the route", () -> observe("unreachable").accepted());
      HttpResponse<String> response = get(gateway, "/v1/rate");
      assertEquals(502, response.statusCode());
      assertTrue(response.body().contains("\"code\":\"bad_gateway\""), response.body());
      assertFalse(response.body().contains(Integer.toString(port)), response.body());
    }
  }

  @Test
  void closingLeavesNoThreadBehind() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    createRoute("closing", 1, 0);
    LocalGateway gateway = LocalGateway.start(client, NS, "closing", backends(), 0);
    Await.until("the gateway accepts the route", () -> observe("closing").accepted());
    assertEquals(200, get(gateway, "/").statusCode());
    assertFalse(gatewayThreads(before).isEmpty(), "the gateway's threads are recognised");

    gateway.close();

    Await.value("the gateway's threads end", () -> gatewayThreads(before), Set::isEmpty);
  }

  /**
   * The threads of gateways started since {@code before}: the JDK server's dispatcher (which is not
   * a daemon) and its request pool. Its HTTP client makes only blocking calls, so it has no threads
   * of its own beyond OkHttp's shared daemon ones; the informer runs on the API client's.
   */
  private static Set<String> gatewayThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .map(Thread::getName)
        .filter(name -> name.equals("HTTP-Dispatcher") || name.startsWith("clawrate-local-gateway"))
        .collect(Collectors.toSet());
  }
}
