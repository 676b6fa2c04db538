package dev.clawrate.operator.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Which backendRefs of a route carry the split, without a server. */
class RouteRulesTest {

  private static HTTPRoute route(String rules) {
    return Serialization.unmarshal(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: checkout
          namespace: shop
          generation: 1
        spec:
          rules:
        """
            + rules.indent(4),
        HTTPRoute.class);
  }

  private static RouteRules rules(HTTPRoute route) throws RouteException {
    return RouteRules.of(route, "rater-stable", "rater-canary");
  }

  @Test
  void refsByKindGroupAndNamespaceCountAsTheService() throws RouteException {
    HTTPRoute route =
        route(
            """
            - backendRefs:
              - {name: rater-stable, kind: Service, group: "", namespace: shop, weight: 90}
              - {name: rater-canary, weight: 10}
            """);
    assertEquals(WeightSplit.canaryPercent(10), rules(route).current());
  }

  @Test
  void refsToOtherKindsGroupsOrNamespacesAreOtherBackends() {
    for (String other :
        new String[] {
          "{name: rater-canary, kind: ServiceImport, group: multicluster.x-k8s.io}",
          "{name: rater-canary, group: example.com}",
          "{name: rater-canary, namespace: elsewhere}"
        }) {
      HTTPRoute route = route("- backendRefs:\n  - {name: rater-stable}\n  - " + other + "\n");
      RouteException e = assertThrows(RouteException.class, () -> rules(route));
      assertEquals(RouteProblem.Kind.MISSING_BACKEND_REF, e.kind(), other);
    }
  }

  @Test
  void aRuleNamingTheStableServiceAloneIsAProblem() {
    HTTPRoute route =
        route(
            """
            - backendRefs: [{name: rater-stable}, {name: rater-canary}]
            - backendRefs: [{name: rater-stable}]
            """);
    RouteException e = assertThrows(RouteException.class, () -> rules(route));
    assertEquals(RouteProblem.Kind.MISSING_BACKEND_REF, e.kind());
    assertEquals(
        "spec.rules[1] of HTTPRoute checkout has no backendRef to the canary Service rater-canary",
        e.getMessage());
    assertEquals(e.getMessage(), e.problem().message());
  }

  @Test
  void aRuleNamingTheCanaryServiceAloneIsAProblem() {
    RouteException e =
        assertThrows(
            RouteException.class, () -> rules(route("- backendRefs: [{name: rater-canary}]\n")));
    assertEquals(
        "spec.rules[0] of HTTPRoute checkout has no backendRef to the stable Service rater-stable",
        e.getMessage());
  }

  @Test
  void aRuleNamingAServiceTwiceIsAProblem() {
    HTTPRoute route =
        route(
            """
            - backendRefs:
              - {name: rater-stable, port: 8080}
              - {name: rater-stable, port: 9090}
              - {name: rater-canary}
            """);
    RouteException e = assertThrows(RouteException.class, () -> rules(route));
    assertEquals(RouteProblem.Kind.AMBIGUOUS_BACKEND_REF, e.kind());
  }

  @Test
  void aRouteWhoseRulesNameNeitherServiceIsAProblem() {
    for (HTTPRoute route :
        new HTTPRoute[] {
          route("- backendRefs: [{name: something-else}]\n"),
          route("- matches: [{path: {type: PathPrefix, value: /}}]\n"),
          route("[]\n")
        }) {
      RouteException e = assertThrows(RouteException.class, () -> rules(route));
      assertEquals(RouteProblem.Kind.NO_RULE_FOR_SERVICES, e.kind());
      assertEquals(
          "no rule of HTTPRoute checkout has a backendRef to the stable Service rater-stable or"
              + " the canary Service rater-canary",
          e.getMessage());
    }
  }

  @Test
  void unsetWeightsCountAsOne() throws RouteException {
    HTTPRoute route = route("- backendRefs: [{name: rater-stable}, {name: rater-canary}]\n");
    assertEquals(WeightSplit.canaryPercent(50), rules(route).current());
    assertFalse(rules(route).holds(WeightSplit.canaryPercent(50)));
    HTTPRoute tiny =
        route("- backendRefs: [{name: rater-stable, weight: 99999}, {name: rater-canary}]\n");
    assertTrue(rules(tiny).holds(WeightSplit.canaryPercent("0.001")));
  }

  @Test
  void noSplitWhenBothWeightsAreZeroOrRulesDisagree() throws RouteException {
    assertNull(
        rules(
                route(
                    "- backendRefs: [{name: rater-stable, weight: 0}, {name: rater-canary, weight:"
                        + " 0}]\n"))
            .current());
    assertNull(
        rules(
                route(
                    """
                    - backendRefs: [{name: rater-stable, weight: 90}, {name: rater-canary, weight: 10}]
                    - backendRefs: [{name: rater-stable, weight: 80}, {name: rater-canary, weight: 20}]
                    """))
            .current());
  }

  @Test
  void settingChangesOnlyTheTwoWeightsOfEveryRule() throws RouteException {
    HTTPRoute route =
        route(
            """
            - backendRefs:
              - {name: rater-stable, weight: 100}
              - {name: rater-canary, weight: 0}
              - {name: rater-mirror, weight: 7}
            - backendRefs: [{name: rater-stable}, {name: rater-canary}]
            """);
    String before = Serialization.asJson(route);
    RouteRules rules = rules(route);
    WeightSplit split = WeightSplit.canaryPercent(2.5);
    rules.set(split);
    assertTrue(rules.holds(split));
    assertEquals(split, rules.current());
    String expected =
        before
            .replace(
                "\"name\":\"rater-stable\",\"weight\":100",
                "\"name\":\"rater-stable\",\"weight\":97500")
            .replace(
                "\"name\":\"rater-canary\",\"weight\":0",
                "\"name\":\"rater-canary\",\"weight\":2500")
            .replace("{\"name\":\"rater-stable\"}", "{\"name\":\"rater-stable\",\"weight\":97500}")
            .replace("{\"name\":\"rater-canary\"}", "{\"name\":\"rater-canary\",\"weight\":2500}");
    assertEquals(expected, Serialization.asJson(route));
  }
}
