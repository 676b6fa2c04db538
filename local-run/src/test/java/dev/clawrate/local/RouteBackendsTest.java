package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which backend a draw falls on under a route, without a server. */
class RouteBackendsTest {

  private static final Set<String> KNOWN = Set.of("rater-stable", "rater-canary");

  private static HTTPRoute route(String rules) {
    return Serialization.unmarshal(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: checkout, namespace: shop}
        spec:
          rules:
        """
            + rules.indent(4),
        HTTPRoute.class);
  }

  /** How many of the draws 0 to total-1 fall on each Service (null: an unknown backend). */
  private static Map<String, Integer> tally(RouteBackends backends) {
    Map<String, Integer> tally = new HashMap<>();
    for (long draw = 0; draw < backends.totalWeight(); draw++) {
      RouteBackends.Backend backend = backends.choose(draw);
      tally.merge(backend.known() ? backend.service() : "unknown", 1, Integer::sum);
    }
    return tally;
  }

  @Test
  void eachBackendGetsAsManyDrawsAsItsWeight() {
    RouteBackends backends =
        RouteBackends.of(
            route(
                """
                - backendRefs:
                  - {name: rater-stable, weight: 3}
                  - {name: rater-canary, weight: 1}
                  - {name: elsewhere, weight: 2}
                """),
            KNOWN);
    assertEquals(6, backends.totalWeight());
    assertEquals(Map.of("rater-stable", 3, "rater-canary", 1, "unknown", 2), tally(backends));
  }

  @Test
  void aZeroWeightGetsNothingAndAnUnsetWeightCountsAsOne() {
    RouteBackends backends =
        RouteBackends.of(
            route("- backendRefs: [{name: rater-stable, weight: 0}, {name: rater-canary}]\n"),
            KNOWN);
    assertEquals(Map.of("rater-canary", 1), tally(backends));
    RouteBackends none =
        RouteBackends.of(
            route(
                "- backendRefs: [{name: rater-stable, weight: 0}, {name: rater-canary, weight:"
                    + " 0}]\n"),
            KNOWN);
    assertEquals(0, none.totalWeight());
    assertThrows(IllegalArgumentException.class, () -> none.choose(0));
  }

  @Test
  void theFirstRuleReferringToAKnownServiceIsTheOneFollowed() {
    RouteBackends backends =
        RouteBackends.of(
            route(
                """
                - backendRefs: [{name: other-service}]
                - backendRefs: [{name: rater-canary, weight: 1}]
                - backendRefs: [{name: rater-stable, weight: 1}]
                """),
            KNOWN);
    assertEquals(Map.of("rater-canary", 1), tally(backends));
  }

  @Test
  void refsToOtherKindsOrNamespacesAreNotServicesItKnows() {
    RouteBackends backends =
        RouteBackends.of(
            route(
                """
                - backendRefs:
                  - {name: rater-stable, namespace: elsewhere}
                  - {name: rater-canary, kind: ServiceImport, group: multicluster.x-k8s.io}
                  - {name: rater-canary, namespace: shop}
                """),
            KNOWN);
    assertFalse(backends.choose(0).known());
    assertNull(backends.choose(1).service());
    assertTrue(backends.choose(2).known());
  }

  @Test
  void noRouteOrNoKnownServiceMeansNoBackends() {
    assertTrue(RouteBackends.of(null, KNOWN).backends().isEmpty());
    assertTrue(
        RouteBackends.of(route("- backendRefs: [{name: other-service}]\n"), KNOWN)
            .backends()
            .isEmpty());
  }
}
