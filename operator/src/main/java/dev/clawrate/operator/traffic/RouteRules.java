package dev.clawrate.operator.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The backendRefs of a route that carry the split between a stable and a canary Service, and their
 * weights. No I/O: {@link RouteWeights} reads and writes the route.
 *
 * <p>Every rule that refers to either Service must refer to both, once each. A rule that names the
 * stable Service and not the canary is a problem, not a rule to skip: its traffic would never move,
 * and the canary would be judged on part of the traffic while the status claimed all of it (and a
 * rule naming only the canary would keep sending it traffic after a rollback). Rules that refer to
 * neither are left alone, and so is everything of a rule but those two weights: matches, filters,
 * other backendRefs (which keep their share next to the two).
 *
 * <p>A backendRef refers to a Service when its kind is {@code Service} or unset, its group is the
 * core group ({@code ""}) or unset, and its namespace is the route's or unset.
 */
final class RouteRules {

  /** A weight left unset counts as 1, as the Gateway API says. */
  private static final int DEFAULT_WEIGHT = 1;

  /** One rule's references to the two Services. */
  private record Pair(HTTPBackendRef stable, HTTPBackendRef canary) {}

  private final List<Pair> pairs;

  private RouteRules(List<Pair> pairs) {
    this.pairs = pairs;
  }

  /**
   * The rules of {@code route} that split traffic between the two Services.
   *
   * @throws RouteException when no rule refers to them, or a rule refers to one and not the other,
   *     or to one of them twice
   */
  static RouteRules of(HTTPRoute route, String stableService, String canaryService)
      throws RouteException {
    String name = route.getMetadata().getName();
    String namespace = route.getMetadata().getNamespace();
    List<HTTPRouteRule> rules =
        route.getSpec() == null || route.getSpec().getRules() == null
            ? List.of()
            : route.getSpec().getRules();
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      HTTPRouteRule rule = rules.get(i);
      List<HTTPBackendRef> refs =
          rule == null || rule.getBackendRefs() == null ? List.of() : rule.getBackendRefs();
      String where = "spec.rules[" + i + "] of HTTPRoute " + name;
      HTTPBackendRef stable = only(refs, namespace, stableService, where, "stable");
      HTTPBackendRef canary = only(refs, namespace, canaryService, where, "canary");
      if (stable == null && canary == null) {
        continue;
      }
      if (canary == null) {
        throw missing(where, "canary", canaryService);
      }
      if (stable == null) {
        throw missing(where, "stable", stableService);
      }
      pairs.add(new Pair(stable, canary));
    }
    if (pairs.isEmpty()) {
      throw new RouteException(
          RouteProblem.Kind.NO_RULE_FOR_SERVICES,
          "no rule of HTTPRoute "
              + name
              + " has a backendRef to the stable Service "
              + stableService
              + " or the canary Service "
              + canaryService);
    }
    return new RouteRules(pairs);
  }

  /** The split the rules hold, or null when both weights are zero or the rules disagree. */
  WeightSplit current() {
    WeightSplit current = null;
    for (Pair pair : pairs) {
      long stable = weight(pair.stable());
      long canary = weight(pair.canary());
      if (stable < 0 || canary < 0 || stable + canary == 0) {
        return null;
      }
      WeightSplit split = WeightSplit.ofRelative(stable, canary);
      if (current != null && !current.equals(split)) {
        return null;
      }
      current = split;
    }
    return current;
  }

  /** Whether every rule already holds exactly the weights of {@code split}. */
  boolean holds(WeightSplit split) {
    return pairs.stream()
        .allMatch(
            p -> weight(p.stable()) == split.stable() && weight(p.canary()) == split.canary());
  }

  /** Sets the two weights of every rule to {@code split}'s, in the route this was made from. */
  void set(WeightSplit split) {
    for (Pair pair : pairs) {
      pair.stable().setWeight(split.stable());
      pair.canary().setWeight(split.canary());
    }
  }

  private static HTTPBackendRef only(
      List<HTTPBackendRef> refs, String namespace, String service, String where, String track)
      throws RouteException {
    HTTPBackendRef found = null;
    for (HTTPBackendRef ref : refs) {
      if (ref != null && refersTo(ref, namespace, service)) {
        if (found != null) {
          throw new RouteException(
              RouteProblem.Kind.AMBIGUOUS_BACKEND_REF,
              where + " has more than one backendRef to the " + track + " Service " + service);
        }
        found = ref;
      }
    }
    return found;
  }

  private static boolean refersTo(HTTPBackendRef ref, String namespace, String service) {
    return (ref.getKind() == null || ref.getKind().equals("Service"))
        && (ref.getGroup() == null || ref.getGroup().isEmpty())
        && (ref.getNamespace() == null || ref.getNamespace().equals(namespace))
        && service.equals(ref.getName());
  }

  private static long weight(HTTPBackendRef ref) {
    return ref.getWeight() == null ? DEFAULT_WEIGHT : ref.getWeight();
  }

  private static RouteException missing(String where, String track, String service) {
    return new RouteException(
        RouteProblem.Kind.MISSING_BACKEND_REF,
        where + " has no backendRef to the " + track + " Service " + service);
  }
}
