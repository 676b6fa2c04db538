package dev.clawrate.operator.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalGateway;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Setting and observing weights in a user's HTTPRoute, against the mock API server. */
class RouteWeightsTest {

  private static final String NS = LocalCluster.NAMESPACE;
  private static final String STABLE = "rater-stable";
  private static final String CANARY = "rater-canary";

  /**
   * A route as a user writes it: matches, filters, a timeout, a third backend, a rule for another
   * Service, a rule whose refs spell kind, group and namespace out and leave weights unset, and a
   * field this model does not know (a newer Gateway API's).
   */
  private static final String CHECKOUT =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: %s
        labels: {team: payments}
        annotations: {example.com/owner: "payments"}
      spec:
        parentRefs:
        - {name: public, namespace: infra, sectionName: https}
        hostnames: [rate.example.com]
        rules:
        - matches:
          - path: {type: PathPrefix, value: /v1/rate}
            headers: [{name: X-Env, value: prod}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier:
              add: [{name: X-Via, value: gateway}]
          backendRefs:
          - {name: rater-stable, port: 8080, weight: 100}
          - name: rater-canary
            port: 8080
            weight: 0
            filters:
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Track, value: canary}]
          - {name: rater-mirror, port: 8080, weight: 5}
          timeouts: {request: 10s}
          futureField: {kept: true}
        - matches: [{path: {type: PathPrefix, value: /healthz}}]
          backendRefs: [{name: other-service, port: 80}]
        - matches: [{path: {type: Exact, value: /v1/rate/batch}}]
          backendRefs:
          - {name: rater-stable, kind: Service, group: "", port: 8080}
          - {name: rater-canary, namespace: default, port: 8080}
      """;

  private static LocalCluster cluster;
  private static KubernetesClient client;
  private static RouteWeights weights;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(0);
    client = cluster.client();
    GatewayApiCrds.install(client);
    weights = new RouteWeights(client, "local");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void createCheckout(String name) {
    Routes.create(client, NS, CHECKOUT.formatted(name));
  }

  private static String resourceVersion(ObjectNode route) {
    return route.path("metadata").path("resourceVersion").asText();
  }

  @Test
  void installingTheCrdTwiceIsFine() {
    GatewayApiCrds.install(client);
    assertEquals(
        GatewayApiCrds.HTTP_ROUTES,
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(GatewayApiCrds.HTTP_ROUTES)
            .get()
            .getMetadata()
            .getName());
  }

  @Test
  void onlyTheTwoWeightsOfTheRulesThatNameBothServicesChange() throws RouteException {
    createCheckout("only-weights");
    ObjectNode before = Routes.stored(client, NS, "only-weights");

    RouteState state =
        weights.set(NS, "only-weights", STABLE, CANARY, WeightSplit.canaryPercent(2.5));

    ObjectNode expected = before.deepCopy();
    for (String rule : List.of("0", "2")) {
      ArrayNode refs = (ArrayNode) expected.at("/spec/rules/" + rule + "/backendRefs");
      ((ObjectNode) refs.get(0)).put("weight", 97_500);
      ((ObjectNode) refs.get(1)).put("weight", 2_500);
    }
    ObjectNode after = Routes.stored(client, NS, "only-weights");
    assertEquals(expected.get("spec"), after.get("spec"));
    ObjectNode metadataBefore = (ObjectNode) before.get("metadata").deepCopy();
    ObjectNode metadataAfter = (ObjectNode) after.get("metadata").deepCopy();
    for (ObjectNode metadata : List.of(metadataBefore, metadataAfter)) {
      metadata.remove(List.of("resourceVersion", "generation"));
    }
    assertEquals(metadataBefore, metadataAfter);
    assertFalse(after.has("status"));
    assertEquals(before.at("/metadata/generation").asLong() + 1, state.generation());
    assertEquals(after.at("/metadata/generation").asLong(), state.generation());
    assertEquals(WeightSplit.canaryPercent(2.5), state.current());
    assertFalse(state.accepted());
  }

  @Test
  void weightsAlreadyAsAskedAreNotWrittenAgain() throws RouteException {
    createCheckout("unchanged");
    WeightSplit split = WeightSplit.canaryPercent(10);
    RouteState first = weights.set(NS, "unchanged", STABLE, CANARY, split);
    String written = resourceVersion(Routes.stored(client, NS, "unchanged"));

    RouteState second =
        weights.set(NS, "unchanged", STABLE, CANARY, WeightSplit.canaryPercent("10.000"));

    assertEquals(written, resourceVersion(Routes.stored(client, NS, "unchanged")));
    assertEquals(first.generation(), second.generation());
    assertEquals(split, second.current());
  }

  @Test
  void observeReadsTheSplitTheRouteHolds() throws RouteException {
    createCheckout("observed");
    RouteState initial = weights.observe(NS, "observed", STABLE, CANARY);
    // Rule 0 holds 100/0 and rule 2 leaves both unset (1/1): the rules disagree.
    assertNull(initial.current());
    assertFalse(initial.accepted());
    assertEquals(Optional.empty(), initial.refusal());

    weights.set(NS, "observed", STABLE, CANARY, WeightSplit.canaryPercent("0.1"));
    RouteState observed = weights.observe(NS, "observed", STABLE, CANARY);
    assertEquals(WeightSplit.canaryPercent("0.1"), observed.current());
    assertEquals(initial.generation() + 1, observed.generation());
  }

  @Test
  void aStepIsAcceptedOnlyOnceTheGatewayMarksItsGeneration() throws Exception {
    createCheckout("accepted");
    try (LocalGateway gateway = LocalGateway.start(client, NS, "accepted", Map.of(), 0)) {
      RouteState before =
          Await.value(
              "the stand-in gateway accepts the route",
              () -> observe("accepted"),
              RouteState::accepted);

      RouteState stepped =
          weights.set(NS, "accepted", STABLE, CANARY, WeightSplit.canaryPercent(5));
      assertEquals(before.generation() + 1, stepped.generation());
      assertFalse(stepped.accepted(), "the gateway has not seen the new generation yet");

      RouteState accepted =
          Await.value(
              "the stand-in gateway accepts the new generation",
              () -> observe("accepted"),
              RouteState::accepted);
      assertEquals(stepped.generation(), accepted.generation());
      assertEquals(WeightSplit.canaryPercent(5), accepted.current());
      // Accepting wrote the status alone, without moving the generation.
      assertEquals(
          accepted.generation(),
          Routes.stored(client, NS, "accepted").at("/metadata/generation").asLong());
    }
  }

  @Test
  void aRouteTheGatewayRefusesIsNotAcceptedAndSaysWhy() throws RouteException {
    createCheckout("refused");
    Routes.writeStatus(
        client,
        NS,
        "refused",
        """
        parents:
        - parentRef: {name: public, namespace: infra, sectionName: https}
          controllerName: example.com/gateway
          conditions:
          - type: Accepted
            status: "False"
            reason: NotAllowedByListeners
            message: listener https allows no routes from namespace default
            observedGeneration: 1
            lastTransitionTime: "2026-01-01T00:00:00Z"
        """);
    RouteState state = weights.observe(NS, "refused", STABLE, CANARY);
    assertFalse(state.accepted());
    RouteProblem refusal = state.refusal().orElseThrow();
    assertEquals(RouteProblem.Kind.ROUTE_NOT_ACCEPTED, refusal.kind());
    assertEquals("RouteNotAccepted", refusal.kind().reason());
    assertEquals(
        "HTTPRoute refused is not accepted by its gateway (reason NotAllowedByListeners)",
        refusal.message());
  }

  @Test
  void aMissingRouteIsAClearProblem() {
    RouteException e =
        assertThrows(
            RouteException.class,
            () -> weights.set(NS, "no-such-route", STABLE, CANARY, WeightSplit.ALL_STABLE));
    assertEquals(RouteProblem.Kind.ROUTE_NOT_FOUND, e.kind());
    assertEquals("HTTPRoute no-such-route not found in namespace default", e.getMessage());
    assertEquals(
        RouteProblem.Kind.ROUTE_NOT_FOUND,
        assertThrows(
                RouteException.class, () -> weights.observe(NS, "no-such-route", STABLE, CANARY))
            .kind());
  }

  @Test
  void aRuleWithoutTheCanaryBackendRefIsAClearProblemAndNothingIsWritten() {
    Routes.create(
        client,
        NS,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: stable-only}
        spec:
          rules:
          - backendRefs: [{name: rater-stable, port: 8080}]
        """);
    String before = resourceVersion(Routes.stored(client, NS, "stable-only"));
    RouteException e =
        assertThrows(
            RouteException.class,
            () -> weights.set(NS, "stable-only", STABLE, CANARY, WeightSplit.canaryPercent(1)));
    assertEquals(RouteProblem.Kind.MISSING_BACKEND_REF, e.kind());
    assertEquals(
        "spec.rules[0] of HTTPRoute stable-only has no backendRef to the canary Service"
            + " rater-canary",
        e.getMessage());
    assertEquals(before, resourceVersion(Routes.stored(client, NS, "stable-only")));
  }

  @Test
  void namesThatWouldLeaveTheirPathAreRefusedBeforeAnyRequest() {
    for (String[] names :
        new String[][] {
          {"default/../kube-system", "checkout", STABLE, CANARY},
          {NS, "x/../../other", STABLE, CANARY},
          {NS, "..", STABLE, CANARY},
          {NS, "checkout", "Rater", CANARY},
          {NS, "checkout", STABLE, null},
          {NS, "checkout", STABLE, STABLE}
        }) {
      RouteException e =
          assertThrows(
              RouteException.class, () -> weights.observe(names[0], names[1], names[2], names[3]));
      assertEquals(RouteProblem.Kind.INVALID_NAME, e.kind(), String.join(",", names[0], names[1]));
      assertFalse(e.getMessage().contains(".."), e.getMessage());
    }
  }

  @Test
  void anApiServerThatDoesNotAnswerIsAProblemThatPasses() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (KubernetesClient nothing =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + port)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      RouteException e =
          assertThrows(
              RouteException.class,
              () ->
                  new RouteWeights(nothing, "away")
                      .set(NS, "checkout", STABLE, CANARY, WeightSplit.ALL_STABLE));
      assertEquals(RouteProblem.Kind.API_UNREACHABLE, e.kind());
      assertTrue(e.kind().passes());
      assertFalse(e.getMessage().contains("127.0.0.1"), e.getMessage());
      assertTrue(
          e.getMessage().startsWith("could not read HTTPRoute checkout in namespace default: "),
          e.getMessage());
    }
  }

  private static RouteState observe(String route) {
    try {
      return weights.observe(NS, route, STABLE, CANARY);
    } catch (RouteException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
