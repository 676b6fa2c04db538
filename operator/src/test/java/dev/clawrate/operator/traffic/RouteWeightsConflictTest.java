package dev.clawrate.operator.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Someone else writing the route between RouteWeights' read and its write: the API server answers
 * 409, and RouteWeights sets the weights again on what is there now, keeping the other change.
 */
class RouteWeightsConflictTest {

  private static final String NS = "shop";
  private static final String ROUTE_PATH =
      "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/checkout";

  /**
   * The CRUD dispatcher, except that before each of the next {@link #races} writes of the route it
   * lets a competing writer change the route first, as a user's kubectl would, so the write it
   * delays carries a resourceVersion that is no longer current.
   */
  private static final class RacingDispatcher extends KubernetesCrudDispatcher {

    final AtomicInteger races = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      if (request.getPath().startsWith(ROUTE_PATH) && !request.getPath().contains("/status")) {
        writes.incrementAndGet();
        if (races.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
          ObjectNode current =
              (ObjectNode)
                  Serialization.unmarshal(
                      handleGet(ROUTE_PATH).getBody().readUtf8(),
                      com.fasterxml.jackson.databind.JsonNode.class);
          ((ObjectNode) current.path("metadata").path("labels"))
              .put("raced", Integer.toString(writes.get()));
          super.handleUpdate(
              new RecordedRequest(
                  "HTTP/1.1",
                  HttpMethod.PUT,
                  ROUTE_PATH,
                  Headers.builder().add("Content-Type", "application/json").build(),
                  new Buffer().writeUtf8(current.toString())));
        }
      }
      return super.handleUpdate(request);
    }
  }

  private RacingDispatcher dispatcher;
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void startServer() {
    dispatcher = new RacingDispatcher();
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient(new OkHttpClientFactory());
    GatewayApiCrds.install(client);
    Routes.create(
        client,
        NS,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: checkout
          labels: {team: payments}
        spec:
          rules:
          - backendRefs:
            - {name: rater-stable, weight: 100}
            - {name: rater-canary, weight: 0}
        """);
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void aWriteThatLostARaceIsMadeAgainOnTheNewerRoute() throws RouteException {
    dispatcher.races.set(2);

    RouteState state =
        new RouteWeights(client, "local")
            .set(NS, "checkout", "rater-stable", "rater-canary", WeightSplit.canaryPercent(20));

    assertEquals(3, dispatcher.writes.get(), "two lost races, then the write that counts");
    ObjectNode stored = Routes.stored(client, NS, "checkout");
    assertEquals("payments", stored.at("/metadata/labels/team").asText());
    assertEquals("2", stored.at("/metadata/labels/raced").asText(), "the competing change stays");
    assertEquals(80_000, stored.at("/spec/rules/0/backendRefs/0/weight").asInt());
    assertEquals(20_000, stored.at("/spec/rules/0/backendRefs/1/weight").asInt());
    assertEquals(stored.at("/metadata/generation").asLong(), state.generation());
  }

  @Test
  void aRouteThatChangesUnderEveryAttemptIsAProblemThatPasses() {
    dispatcher.races.set(Integer.MAX_VALUE);

    RouteException e =
        assertThrows(
            RouteException.class,
            () ->
                new RouteWeights(client, "local")
                    .set(NS, "checkout", "rater-stable", "rater-canary", WeightSplit.ALL_CANARY));

    assertEquals(RouteProblem.Kind.CONFLICT, e.kind());
    assertTrue(e.kind().passes());
    assertEquals(RouteWeights.MAX_ATTEMPTS, dispatcher.writes.get());
    assertEquals(
        0, Routes.stored(client, NS, "checkout").at("/spec/rules/0/backendRefs/1/weight").asInt());
  }
}
