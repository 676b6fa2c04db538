package dev.clawrate.operator.traffic;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.Optional;

/**
 * What a route holds and what its gateways made of it. A traffic step counts only once {@link
 * #accepted()}: a gateway has taken this generation of the route, and so these weights.
 *
 * @param generation the route's {@code metadata.generation}
 * @param current the split between the stable and canary Service that the route's rules hold, or
 *     null when they hold none: both weights zero, or rules that split differently (a step half
 *     done by hand)
 * @param accepted whether every parent in {@code status.parents} (at least one) has {@code
 *     Accepted=True} for this generation or a later one
 * @param refusal present when a gateway refused this generation: a problem of kind {@link
 *     RouteProblem.Kind#ROUTE_NOT_ACCEPTED}
 */
public record RouteState(
    long generation, WeightSplit current, boolean accepted, Optional<RouteProblem> refusal) {

  public RouteState {
    if (refusal == null) {
      throw new IllegalArgumentException("refusal is empty, not null, when there is none");
    }
  }

  /** The state of {@code route}, whose rules hold {@code current}. */
  static RouteState of(HTTPRoute route, WeightSplit current) {
    Long generation = route.getMetadata().getGeneration();
    return new RouteState(
        generation == null ? 0 : generation,
        current,
        RouteAcceptance.accepted(route),
        RouteAcceptance.refusal(route));
  }
}
