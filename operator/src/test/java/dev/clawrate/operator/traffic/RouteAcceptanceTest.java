package dev.clawrate.operator.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a route's status says of its current generation, without a server. */
class RouteAcceptanceTest {

  /** A route at generation 3 with the given {@code status.parents}. */
  private static HTTPRoute route(String parents) {
    return Serialization.unmarshal(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: checkout, namespace: shop, generation: 3}
        spec: {}
        status:
          parents:
        """
            + parents.indent(4),
        HTTPRoute.class);
  }

  private static String parent(String gateway, String status, Long observedGeneration) {
    return parent(gateway, status, observedGeneration, "Accepted");
  }

  private static String parent(
      String gateway, String status, Long observedGeneration, String reason) {
    return """
        - parentRef: {name: %s}
          controllerName: example.com/gateway
          conditions:
          - type: ResolvedRefs
            status: "True"
            reason: ResolvedRefs
          - type: Accepted
            status: "%s"
            reason: %s
        %s
        """
        .formatted(
            gateway,
            status,
            reason,
            observedGeneration == null ? "" : "    observedGeneration: " + observedGeneration);
  }

  @Test
  void acceptedWhenEveryParentAcceptedThisGenerationOrLater() {
    assertTrue(RouteAcceptance.accepted(route(parent("public", "True", 3L))));
    assertTrue(
        RouteAcceptance.accepted(
            route(parent("public", "True", 3L) + parent("internal", "True", 4L))));
    assertEquals(Optional.empty(), RouteAcceptance.refusal(route(parent("public", "True", 3L))));
  }

  @Test
  void notAcceptedWhileAParentLagsBehind() {
    assertFalse(RouteAcceptance.accepted(route(parent("public", "True", 2L))));
    assertFalse(
        RouteAcceptance.accepted(
            route(parent("public", "True", 3L) + parent("internal", "True", 2L))));
    assertFalse(RouteAcceptance.accepted(route(parent("public", "True", null))));
    assertFalse(RouteAcceptance.accepted(route(parent("public", "Unknown", 3L))));
  }

  @Test
  void notAcceptedWithoutParentsOrStatus() {
    assertFalse(RouteAcceptance.accepted(route("[]\n")));
    HTTPRoute noStatus = route("[]\n");
    noStatus.setStatus(null);
    assertFalse(RouteAcceptance.accepted(noStatus));
    assertEquals(Optional.empty(), RouteAcceptance.refusal(noStatus));
    assertFalse(
        RouteAcceptance.accepted(
            route("- parentRef: {name: public}\n  controllerName: example.com/gateway\n")));
  }

  @Test
  void aRefusalOfThisGenerationIsAProblemWithTheGatewaysReason() {
    HTTPRoute route =
        route(
            parent("public", "True", 3L)
                + parent("internal", "False", 3L, "NotAllowedByListeners"));
    assertFalse(RouteAcceptance.accepted(route));
    RouteProblem refusal = RouteAcceptance.refusal(route).orElseThrow();
    assertEquals(RouteProblem.Kind.ROUTE_NOT_ACCEPTED, refusal.kind());
    assertEquals(
        "HTTPRoute checkout is not accepted by its gateway (reason NotAllowedByListeners)",
        refusal.message());
  }

  @Test
  void aReasonThatIsNotAWordIsLeftOut() {
    RouteProblem refusal =
        RouteAcceptance.refusal(route(parent("public", "False", 3L, "'<b>see http://x</b>'")))
            .orElseThrow();
    assertEquals("HTTPRoute checkout is not accepted by its gateway", refusal.message());
    RouteProblem tooLong =
        RouteAcceptance.refusal(route(parent("public", "False", 3L, "A".repeat(65)))).orElseThrow();
    assertEquals("HTTPRoute checkout is not accepted by its gateway", tooLong.message());
  }

  @Test
  void aRefusalOfAnEarlierGenerationIsNotOneOfThisGeneration() {
    HTTPRoute route = route(parent("public", "False", 2L, "NoMatchingParent"));
    assertFalse(RouteAcceptance.accepted(route));
    assertEquals(Optional.empty(), RouteAcceptance.refusal(route));
  }
}
