package dev.clawrate.operator.traffic;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the gateways made of a route, from its {@code status.parents}: each gateway controller
 * writes one entry per parent (Gateway) it serves the route on, with an {@code Accepted} condition
 * and the generation it judged. Until every one of them judged the route's current generation, the
 * weights it holds may not be what serves traffic.
 */
final class RouteAcceptance {

  static final String ACCEPTED = "Accepted";

  // A reason is the gateway's word, kept only when it reads like one of the Gateway API's own.
  private static final Pattern REASON = Pattern.compile("[A-Za-z]{1,64}");

  private RouteAcceptance() {}

  /**
   * Whether at least one parent is listed and every listed parent has {@code Accepted=True} at the
   * route's generation or later.
   */
  static boolean accepted(HTTPRoute route) {
    List<RouteParentStatus> parents = parents(route);
    if (parents.isEmpty()) {
      return false;
    }
    long generation = generation(route);
    for (RouteParentStatus parent : parents) {
      Condition accepted = acceptedCondition(parent);
      if (accepted == null
          || !"True".equals(accepted.getStatus())
          || !judged(accepted, generation)) {
        return false;
      }
    }
    return true;
  }

  /** A gateway's refusal of the route's current generation ({@code Accepted=False}), if any. */
  static Optional<RouteProblem> refusal(HTTPRoute route) {
    long generation = generation(route);
    for (RouteParentStatus parent : parents(route)) {
      Condition accepted = acceptedCondition(parent);
      if (accepted != null
          && "False".equals(accepted.getStatus())
          && judged(accepted, generation)) {
        String reason = accepted.getReason();
        boolean safe = reason != null && REASON.matcher(reason).matches();
        return Optional.of(
            new RouteProblem(
                RouteProblem.Kind.ROUTE_NOT_ACCEPTED,
                "HTTPRoute "
                    + route.getMetadata().getName()
                    + " is not accepted by its gateway"
                    + (safe ? " (reason " + reason + ")" : "")));
      }
    }
    return Optional.empty();
  }

  private static boolean judged(Condition condition, long generation) {
    return condition.getObservedGeneration() != null
        && condition.getObservedGeneration() >= generation;
  }

  private static Condition acceptedCondition(RouteParentStatus parent) {
    if (parent == null || parent.getConditions() == null) {
      return null;
    }
    return parent.getConditions().stream()
        .filter(c -> c != null && ACCEPTED.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static List<RouteParentStatus> parents(HTTPRoute route) {
    if (route.getStatus() == null || route.getStatus().getParents() == null) {
      return List.of();
    }
    return route.getStatus().getParents();
  }

  private static long generation(HTTPRoute route) {
    Long generation = route.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }
}
