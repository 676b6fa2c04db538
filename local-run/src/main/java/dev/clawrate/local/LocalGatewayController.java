package dev.clawrate.local;

import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.kube.Errors;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway controller's half of {@link LocalGateway}: it accepts every HTTPRoute of its
 * namespace, as a real gateway controller reports the routes it serves, so that whoever waits for a
 * route's new generation to be taken (the canary) sees it happen. For each entry of {@code
 * spec.parentRefs} it writes one {@code status.parents[]} entry with {@code Accepted=True} and
 * {@code ResolvedRefs=True} at the route's generation, through the status subresource, and leaves
 * other controllers' entries alone. It writes only when the status is not already so, or it would
 * answer its own writes for ever.
 */
final class LocalGatewayController {

  static final String CONTROLLER_NAME = "clawrate.dev/local-gateway";

  private static final Logger LOG = LoggerFactory.getLogger(LocalGatewayController.class);

  private final KubernetesClient client;
  private final String namespace;

  LocalGatewayController(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Brings the route's status to what this controller reports, if it is not already. */
  void reconcile(HTTPRoute route) {
    String name = route.getMetadata().getName();
    if (KubeNames.whyNotObjectPath(namespace, name) != null) {
      // Only a server that validates nothing stores such a name; it never goes into a path.
      return;
    }
    // The informer's copy is shared with its cache, and so never changed in place.
    HTTPRoute copy = Serialization.clone(route);
    HTTPRouteStatus wanted = statusFor(copy, Instant.now());
    if (wanted == null) {
      return;
    }
    copy.setStatus(wanted);
    try {
      client.resources(HTTPRoute.class).inNamespace(namespace).resource(copy).updateStatus();
    } catch (KubernetesClientException e) {
      // On a conflict or a deleted route, the informer brings the newer state as its own event.
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.atWarn()
            .addKeyValue("namespace", namespace)
            .addKeyValue("route", name)
            .addKeyValue("error", Errors.describe(e))
            .log("could not write the route's status; retrying at the next resync");
      }
    }
  }

  /**
   * The status this controller reports for {@code route} at {@code now}, or null when the route
   * already has it (a condition's transition time aside).
   */
  static HTTPRouteStatus statusFor(HTTPRoute route, Instant now) {
    long generation =
        route.getMetadata().getGeneration() == null ? 0 : route.getMetadata().getGeneration();
    List<ParentReference> parentRefs =
        route.getSpec() == null || route.getSpec().getParentRefs() == null
            ? List.of()
            : route.getSpec().getParentRefs();
    List<RouteParentStatus> present =
        route.getStatus() == null || route.getStatus().getParents() == null
            ? List.of()
            : route.getStatus().getParents();
    List<RouteParentStatus> others = new ArrayList<>();
    List<RouteParentStatus> ours = new ArrayList<>();
    for (RouteParentStatus parent : present) {
      if (parent == null) {
        continue;
      }
      (CONTROLLER_NAME.equals(parent.getControllerName()) ? ours : others).add(parent);
    }
    if (current(ours, parentRefs, generation)) {
      return null;
    }
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<RouteParentStatus> parents = new ArrayList<>(others);
    for (ParentReference parentRef : parentRefs) {
      RouteParentStatus before =
          ours.stream()
              .filter(p -> Objects.equals(p.getParentRef(), parentRef))
              .findFirst()
              .orElse(null);
      parents.add(
          new RouteParentStatusBuilder()
              .withParentRef(parentRef)
              .withControllerName(CONTROLLER_NAME)
              .withConditions(
                  condition(
                      "Accepted",
                      "Accepted",
                      "Accepted by the clawrate local gateway",
                      generation,
                      time,
                      before),
                  condition(
                      "ResolvedRefs",
                      "ResolvedRefs",
                      "References resolved by the clawrate local gateway",
                      generation,
                      time,
                      before))
              .build());
    }
    HTTPRouteStatus status = new HTTPRouteStatus();
    status.setParents(parents);
    return status;
  }

  /** Whether this controller's entries are one per parentRef, each true at the generation. */
  private static boolean current(
      List<RouteParentStatus> ours, List<ParentReference> parentRefs, long generation) {
    if (ours.size() != parentRefs.size()) {
      return false;
    }
    for (int i = 0; i < ours.size(); i++) {
      RouteParentStatus parent = ours.get(i);
      if (!Objects.equals(parent.getParentRef(), parentRefs.get(i))
          || !trueAt(parent, "Accepted", generation)
          || !trueAt(parent, "ResolvedRefs", generation)) {
        return false;
      }
    }
    return true;
  }

  private static boolean trueAt(RouteParentStatus parent, String type, long generation) {
    Condition condition = find(parent, type);
    return condition != null
        && "True".equals(condition.getStatus())
        && Objects.equals(condition.getObservedGeneration(), generation);
  }

  private static Condition find(RouteParentStatus parent, String type) {
    if (parent == null || parent.getConditions() == null) {
      return null;
    }
    return parent.getConditions().stream()
        .filter(c -> c != null && type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** A true condition; its transition time stays what it was if it was already true. */
  private static Condition condition(
      String type,
      String reason,
      String message,
      long generation,
      String now,
      RouteParentStatus before) {
    Condition previous = find(before, type);
    boolean wasTrue = previous != null && "True".equals(previous.getStatus());
    return new ConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(
            wasTrue && previous.getLastTransitionTime() != null
                ? previous.getLastTransitionTime()
                : now)
        .build();
  }
}
