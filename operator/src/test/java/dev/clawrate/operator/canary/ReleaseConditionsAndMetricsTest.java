package dev.clawrate.operator.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.operator.api.CanaryRegionStatus;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryTransition;
import dev.clawrate.operator.api.ClawrateApi;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A release's conditions (one place computes them) and its gauges. Pure. */
class ReleaseConditionsAndMetricsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Condition find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static CanaryReleaseStatus status(String phase, String lastReason) {
    CanaryReleaseStatus status = new CanaryReleaseStatus();
    status.setPhase(phase);
    status.setMessage("step 1/2 in local");
    CanaryTransition transition = new CanaryTransition();
    transition.setPhase(phase);
    transition.setReason(lastReason);
    transition.setMessage("error rate 30.00% > 1.00%");
    status.setHistory(List.of(transition));
    return status;
  }

  @Test
  void aRollBackIsDegradedWithItsFiguresAndTransitionsMoveOnlyOnChange() {
    List<Condition> progressing =
        ReleaseConditions.of(
            status(ReleasePhase.PROGRESSING, "Started"), null, 1, T0, Map.of(), List.of("eu-west"));
    assertEquals("True", find(progressing, ClawrateApi.PROGRESSING).getStatus());
    assertEquals("False", find(progressing, ClawrateApi.TRAFFIC_ACCEPTED).getStatus());
    assertEquals("False", find(progressing, ClawrateApi.READY).getStatus());

    List<Condition> again =
        ReleaseConditions.of(
            status(ReleasePhase.PROGRESSING, "Started"),
            progressing,
            1,
            T0.plusSeconds(30),
            Map.of(),
            List.of("eu-west"));
    assertEquals(progressing, again, "nothing changed, so nothing to write");

    List<Condition> rolledBack =
        ReleaseConditions.of(
            status(ReleasePhase.ROLLED_BACK, "AnalysisFailed"),
            again,
            1,
            T0.plusSeconds(60),
            Map.of(),
            List.of());
    Condition degraded = find(rolledBack, ClawrateApi.DEGRADED);
    assertEquals("True", degraded.getStatus());
    assertEquals("AnalysisFailed", degraded.getReason());
    assertEquals("rolled back: error rate 30.00% > 1.00%", degraded.getMessage());
    assertEquals(T0.plusSeconds(60).toString(), degraded.getLastTransitionTime());
    assertEquals("False", find(rolledBack, ClawrateApi.PROGRESSING).getStatus());
  }

  @Test
  void aReleaseInConflictSaysWhichGovernsAndDoesNothing() {
    List<Condition> conditions = ReleaseConditions.conflict(null, 2, T0, "scorer");
    assertEquals("True", find(conditions, ClawrateApi.CONFLICT).getStatus());
    assertEquals(
        "CanaryRelease scorer already governs this target",
        find(conditions, ClawrateApi.CONFLICT).getMessage());
    assertNull(find(conditions, ClawrateApi.PROGRESSING));
  }

  @Test
  void gaugesFollowTheReleaseAndGoWithIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CanaryMetrics metrics = new CanaryMetrics(registry);
    CanaryReleaseStatus status = status(ReleasePhase.PROGRESSING, "Started");
    CanaryRegionStatus local = new CanaryRegionStatus();
    local.setName("local");
    local.setWeight("2.5");
    status.setRegions(List.of(local));
    metrics.record("ns/scorer", status);
    assertEquals(
        2.5,
        registry.get("clawrate.operator.canary.weight").tag("region", "local").gauge().value());
    assertEquals(
        1,
        registry
            .get("clawrate.operator.canary.phase")
            .tag("phase", ReleasePhase.PROGRESSING)
            .gauge()
            .value());
    assertEquals(
        0,
        registry
            .get("clawrate.operator.canary.phase")
            .tag("phase", ReleasePhase.SUCCEEDED)
            .gauge()
            .value());
    metrics.retain(Set.of());
    assertEquals(0, registry.getMeters().size(), "a deleted release leaves no series behind");
  }
}
