package dev.clawrate.operator.traffic;

import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.kube.Errors;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves traffic between a stable and a canary Service through the user's own HTTPRoute in one
 * region: it changes the weights of the two backendRefs (see {@link RouteRules} for which) and
 * nothing else. It never creates, owns or replaces the route, whose other rules, matches, filters
 * and backends are the user's.
 *
 * <p>A write is an update with the resourceVersion read, so a concurrent change by anyone else (the
 * user, GitOps, a gateway writing status) is never overwritten: on 409 Conflict the route is read
 * again and the weights set on what is there now. Server-side apply would avoid the read, but the
 * mock API server of the local run and tests has none. Fields the typed model does not know are
 * kept through the read and write; a list written explicitly empty is written back absent, which
 * the Gateway API reads the same way.
 */
public final class RouteWeights {

  private static final Logger LOG = LoggerFactory.getLogger(RouteWeights.class);

  /** Attempts to write before giving up on a route that changes under every one. */
  static final int MAX_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String region;

  /**
   * @param client the region's API server
   * @param region the region's name, for logs
   */
  public RouteWeights(KubernetesClient client, String region) {
    this.client = client;
    this.region = region;
  }

  /**
   * Sets the weights of the two Services in every rule of the route that refers to them, unless
   * they already are as asked (then nothing is written and the generation does not move).
   *
   * @return the route's state after the write: {@link RouteState#accepted()} only once a gateway
   *     has taken the new generation, which takes an {@link #observe} later
   * @throws RouteException when a name is invalid, the route or a backendRef is missing, or the API
   *     server does not answer or refuses
   */
  public RouteState set(
      String namespace, String route, String stableService, String canaryService, WeightSplit split)
      throws RouteException {
    checkNames(namespace, route, stableService, canaryService);
    if (split == null) {
      throw new IllegalArgumentException("a split is required");
    }
    for (int attempt = 1; ; attempt++) {
      HTTPRoute read = read(namespace, route);
      RouteRules rules = RouteRules.of(read, stableService, canaryService);
      if (rules.holds(split)) {
        return RouteState.of(read, split);
      }
      rules.set(split);
      try {
        HTTPRoute written = routes(namespace).resource(read).update();
        LOG.atInfo()
            .addKeyValue("region", region)
            .addKeyValue("namespace", namespace)
            .addKeyValue("route", route)
            .addKeyValue("canaryPercent", split.percent().toPlainString())
            .addKeyValue("generation", written.getMetadata().getGeneration())
            .log("route weights set");
        return RouteState.of(written, split);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < MAX_ATTEMPTS) {
          LOG.atDebug()
              .addKeyValue("region", region)
              .addKeyValue("namespace", namespace)
              .addKeyValue("route", route)
              .addKeyValue("attempt", attempt)
              .log("route changed since it was read; reading it again");
          continue;
        }
        throw problem(e, "write", namespace, route);
      }
    }
  }

  /**
   * The route's weights for the two Services and whether its gateways accepted its current
   * generation.
   *
   * @throws RouteException as {@link #set} does
   */
  public RouteState observe(
      String namespace, String route, String stableService, String canaryService)
      throws RouteException {
    checkNames(namespace, route, stableService, canaryService);
    HTTPRoute read = read(namespace, route);
    return RouteState.of(read, RouteRules.of(read, stableService, canaryService).current());
  }

  private HTTPRoute read(String namespace, String route) throws RouteException {
    HTTPRoute read;
    try {
      read = routes(namespace).withName(route).get();
    } catch (KubernetesClientException e) {
      throw problem(e, "read", namespace, route);
    }
    if (read == null) {
      throw notFound(namespace, route);
    }
    return read;
  }

  private NonNamespaceOperation<HTTPRoute, HTTPRouteList, Resource<HTTPRoute>> routes(
      String namespace) {
    return client.resources(HTTPRoute.class, HTTPRouteList.class).inNamespace(namespace);
  }

  private static RouteException problem(
      KubernetesClientException e, String verb, String namespace, String route) {
    if (e.getCode() == 404) {
      return notFound(namespace, route);
    }
    if (e.getCode() == 409) {
      return new RouteException(
          RouteProblem.Kind.CONFLICT,
          "HTTPRoute "
              + route
              + " in namespace "
              + namespace
              + " changed under each of "
              + MAX_ATTEMPTS
              + " attempts to set its weights");
    }
    String what = "could not " + verb + " HTTPRoute " + route + " in namespace " + namespace + ": ";
    return Errors.unreachable(e)
        ? new RouteException(RouteProblem.Kind.API_UNREACHABLE, what + Errors.describe(e))
        : new RouteException(RouteProblem.Kind.API_REFUSED, what + Errors.describe(e));
  }

  private static RouteException notFound(String namespace, String route) {
    return new RouteException(
        RouteProblem.Kind.ROUTE_NOT_FOUND,
        "HTTPRoute " + route + " not found in namespace " + namespace);
  }

  /**
   * The names go into API paths (fabric8 puts them there as they are) and into problems that reach
   * status, so each must be a valid name first; the problem never quotes an invalid one.
   */
  private static void checkNames(
      String namespace, String route, String stableService, String canaryService)
      throws RouteException {
    String why = KubeNames.whyNotDnsLabel(namespace);
    if (why != null) {
      throw invalid("the route's namespace " + why);
    }
    why = KubeNames.whyNotDnsSubdomain(route);
    if (why != null) {
      throw invalid("the route's name " + why);
    }
    why = KubeNames.whyNotDnsLabel(stableService);
    if (why != null) {
      throw invalid("the stable Service's name " + why);
    }
    why = KubeNames.whyNotDnsLabel(canaryService);
    if (why != null) {
      throw invalid("the canary Service's name " + why);
    }
    if (stableService.equals(canaryService)) {
      throw invalid("the stable and canary Services must differ");
    }
  }

  private static RouteException invalid(String message) {
    return new RouteException(RouteProblem.Kind.INVALID_NAME, message);
  }
}
