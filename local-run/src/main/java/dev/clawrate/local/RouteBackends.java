package dev.clawrate.local;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where {@link LocalGateway} sends a request under a route: the backendRefs of the route's first
 * rule that refers to a Service the gateway knows, each with its weight. The stand-in matches no
 * paths, headers or methods: a canary's route has one rule that matters, and the stand-in serves
 * only that route.
 *
 * @param backends the rule's backendRefs, in order
 */
record RouteBackends(List<Backend> backends) {

  /**
   * One backendRef.
   *
   * @param service the Service's name, or null when the backendRef is not to a Service of the
   *     route's namespace
   * @param weight its weight (an unset weight is 1, as the Gateway API says; a negative one is 0)
   * @param known whether the gateway has an address for it
   */
  record Backend(String service, long weight, boolean known) {}

  static final RouteBackends NONE = new RouteBackends(List.of());

  RouteBackends {
    backends = List.copyOf(backends);
  }

  /** The backends of {@code route} (none for no route) among which {@code known} Services are. */
  static RouteBackends of(HTTPRoute route, Set<String> known) {
    if (route == null || route.getSpec() == null || route.getSpec().getRules() == null) {
      return NONE;
    }
    String namespace = route.getMetadata().getNamespace();
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      if (rule == null || rule.getBackendRefs() == null) {
        continue;
      }
      List<Backend> backends = new ArrayList<>();
      boolean anyKnown = false;
      for (HTTPBackendRef ref : rule.getBackendRefs()) {
        if (ref == null) {
          continue;
        }
        String service = serviceOf(ref, namespace);
        boolean isKnown = service != null && known.contains(service);
        anyKnown |= isKnown;
        long weight = ref.getWeight() == null ? 1 : Math.max(0, ref.getWeight());
        backends.add(new Backend(service, weight, isKnown));
      }
      if (anyKnown) {
        return new RouteBackends(backends);
      }
    }
    return NONE;
  }

  long totalWeight() {
    return backends.stream().mapToLong(Backend::weight).sum();
  }

  /**
   * The backend a draw falls on, each backend owning a stretch of draws as long as its weight.
   *
   * @param draw a number from 0 (inclusive) to {@link #totalWeight()} (exclusive)
   */
  Backend choose(long draw) {
    if (draw < 0 || draw >= totalWeight()) {
      throw new IllegalArgumentException("the draw must be below the total weight");
    }
    long left = draw;
    for (Backend backend : backends) {
      if (left < backend.weight()) {
        return backend;
      }
      left -= backend.weight();
    }
    throw new IllegalStateException("unreachable: the draw is below the total weight");
  }

  private static String serviceOf(HTTPBackendRef ref, String namespace) {
    boolean isService =
        (ref.getKind() == null || ref.getKind().equals("Service"))
            && (ref.getGroup() == null || ref.getGroup().isEmpty())
            && (ref.getNamespace() == null || ref.getNamespace().equals(namespace));
    return isService ? ref.getName() : null;
  }
}
