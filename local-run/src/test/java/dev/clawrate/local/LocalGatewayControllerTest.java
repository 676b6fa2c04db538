package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status the stand-in gateway reports for a route, without a server. */
class LocalGatewayControllerTest {

  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00.123Z");
  private static final Instant T2 = Instant.parse("2026-01-02T00:00:00Z");

  private static HTTPRoute route(long generation, String parentRefs) {
    return Serialization.unmarshal(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: checkout, namespace: shop, generation: %d}
        spec:
          parentRefs:
        %s
        """
            .formatted(generation, parentRefs.indent(4)),
        HTTPRoute.class);
  }

  private static Condition condition(RouteParentStatus parent, String type) {
    return parent.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachParentRefIsAcceptedWithResolvedRefsAtTheGeneration() {
    HTTPRoute route = route(4, "- {name: public}\n- {name: internal, sectionName: http}\n");
    HTTPRouteStatus status = LocalGatewayController.statusFor(route, T1);
    assertNotNull(status);
    assertEquals(2, status.getParents().size());
    for (int i = 0; i < 2; i++) {
      RouteParentStatus parent = status.getParents().get(i);
      assertEquals(route.getSpec().getParentRefs().get(i), parent.getParentRef());
      assertEquals(LocalGatewayController.CONTROLLER_NAME, parent.getControllerName());
      for (String type : List.of("Accepted", "ResolvedRefs")) {
        Condition condition = condition(parent, type);
        assertEquals("True", condition.getStatus());
        assertEquals(type, condition.getReason());
        assertEquals(4L, condition.getObservedGeneration());
        assertEquals("2026-01-01T00:00:00Z", condition.getLastTransitionTime());
      }
    }
  }

  @Test
  void aRouteAlreadyReportedIsNotWrittenAgain() {
    HTTPRoute route = route(4, "- {name: public}\n");
    route.setStatus(LocalGatewayController.statusFor(route, T1));
    assertNull(LocalGatewayController.statusFor(route, T2));
  }

  @Test
  void aNewGenerationIsReportedKeepingTheTransitionTime() {
    HTTPRoute route = route(4, "- {name: public}\n");
    route.setStatus(LocalGatewayController.statusFor(route, T1));
    route.getMetadata().setGeneration(5L);
    HTTPRouteStatus status = LocalGatewayController.statusFor(route, T2);
    assertNotNull(status);
    Condition accepted = condition(status.getParents().get(0), "Accepted");
    assertEquals(5L, accepted.getObservedGeneration());
    assertEquals("2026-01-01T00:00:00Z", accepted.getLastTransitionTime());
  }

  @Test
  void otherControllersEntriesStayAndRemovedParentsGo() {
    HTTPRoute route = route(2, "- {name: public}\n- {name: internal}\n");
    route.setStatus(LocalGatewayController.statusFor(route, T1));
    RouteParentStatus theirs =
        Serialization.unmarshal(
            """
            parentRef: {name: mesh}
            controllerName: example.com/mesh
            conditions: [{type: Accepted, status: "False", reason: NoMatchingParent}]
            """,
            RouteParentStatus.class);
    route.getStatus().getParents().add(0, theirs);
    route.getSpec().getParentRefs().remove(1);
    route.getMetadata().setGeneration(3L);

    HTTPRouteStatus status = LocalGatewayController.statusFor(route, T2);

    assertNotNull(status);
    assertEquals(2, status.getParents().size());
    assertEquals(theirs, status.getParents().get(0));
    assertEquals("public", status.getParents().get(1).getParentRef().getName());
    route.setStatus(status);
    assertNull(LocalGatewayController.statusFor(route, T2));
  }

  @Test
  void aRouteWithoutParentsAndWithoutStatusNeedsNoWrite() {
    HTTPRoute route = route(1, "[]\n");
    assertNull(LocalGatewayController.statusFor(route, T1));
  }
}
