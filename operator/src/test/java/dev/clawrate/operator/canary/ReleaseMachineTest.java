package dev.clawrate.operator.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.render.ConfigVersion;
import dev.clawrate.operator.traffic.WeightSplit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The release state machine, step by step, against a simulated world. Pure. */
class ReleaseMachineTest {

  private static final ConfigVersion V1 = version('1');
  private static final ConfigVersion V2 = version('2');
  private static final ConfigVersion V3 = version('3');
  private static final List<String> REGIONS = List.of("local", "eu-west");
  private static final WeightSplit TEN = WeightSplit.canaryPercent(10);
  private static final WeightSplit HALF = WeightSplit.canaryPercent(50);

  private Instant now;
  private CanaryReleaseStatus status;
  private ConfigVersion current;
  private final Map<String, WeightSplit> weights = new HashMap<>();
  private final Map<String, Boolean> accepted = new HashMap<>();
  private boolean canaryLoaded;
  private String routeProblem;
  private boolean stableLoaded;
  private ReleaseMachine.Result last;

  private static ConfigVersion version(char c) {
    return ConfigVersion.of(
        new ModelEntry("sha256:" + String.valueOf(c).repeat(64), "rate", ModelLimits.DEFAULTS));
  }

  private static ReleaseSettings settings(boolean shadow, boolean paused, int failureLimit) {
    return new ReleaseSettings(
        "raters",
        "stable",
        "canary",
        List.of(
            new ReleaseSettings.Step(TEN, Duration.ofSeconds(10)),
            new ReleaseSettings.Step(HALF, Duration.ZERO)),
        Duration.ofSeconds(5),
        Duration.ofMinutes(1),
        failureLimit,
        new AnalysisLimits(10, 0.01, null, 100.0, 0.01, 0.25, 20),
        shadow ? 0.1 : null,
        REGIONS,
        paused);
  }

  @BeforeEach
  void start() {
    now = Instant.parse("2026-01-01T00:00:00Z");
    current = V1;
    for (String region : REGIONS) {
      weights.put(region, WeightSplit.ALL_STABLE);
      accepted.put(region, true);
    }
    step(settings(true, false, 0), null);
    step(settings(true, false, 0), null);
  }

  /** One reconcile: the machine sees the world, then the world does what it asked. */
  private ReleaseMachine.Result step(ReleaseSettings settings, Analysis analysis) {
    return step(settings, analysis, ReleaseMachine.Manual.NONE);
  }

  private ReleaseMachine.Result step(
      ReleaseSettings settings, Analysis analysis, ReleaseMachine.Manual manual) {
    Map<String, ReleaseMachine.RegionSeen> seen = new LinkedHashMap<>();
    for (String region : REGIONS) {
      seen.put(
          region,
          new ReleaseMachine.RegionSeen(
              true,
              canaryLoaded,
              canaryLoaded,
              stableLoaded,
              weights.get(region),
              accepted.get(region),
              routeProblem));
    }
    last =
        ReleaseMachine.step(
            status,
            settings,
            new ReleaseMachine.Observation(now, current, REGIONS, seen, analysis, manual),
            true);
    status = last.status();
    last.routeWrites()
        .forEach(
            (region, split) -> {
              weights.put(region, split);
              accepted.put(region, false);
            });
    now = now.plusSeconds(1);
    return last;
  }

  private void acceptAll() {
    REGIONS.forEach(region -> accepted.put(region, true));
  }

  private static Analysis verdict(Verdict verdict, String... reasons) {
    return new Analysis(verdict, new Figures(100, 0.0, 1.0, 2.0, 0.0, 0.01, 100), List.of(reasons));
  }

  @Test
  void theFirstVersionSeenIsAdoptedAsStableWithoutARelease() {
    assertEquals(ReleasePhase.IDLE, status.getPhase());
    assertTrue(V1.sameConfig(status.getStable()));
    assertNull(status.getCanary());
    assertTrue(last.routeWrites().isEmpty());
  }

  @Test
  void aGoodVersionShadowsThenStepsThroughEveryRegionInOrderThenIsPromoted() {
    ReleaseSettings settings = settings(true, false, 0);
    current = V2;
    step(settings, null);
    assertEquals(ReleasePhase.SHADOWING, status.getPhase());
    assertTrue(V2.sameConfig(status.getCanary()));
    assertTrue(V1.sameConfig(status.getStable()), "stable keeps the last promoted version");
    step(settings, verdict(Verdict.PASS));
    assertEquals(ReleasePhase.SHADOWING, status.getPhase(), "raters have not loaded it yet");
    canaryLoaded = true;
    step(settings, null);
    step(settings, verdict(Verdict.PASS));
    assertEquals(ReleasePhase.PROGRESSING, status.getPhase());
    assertEquals(Map.of("local", TEN), last.routeWrites(), "the first region, the first step");
    step(settings, null);
    assertEquals(TEN, weights.get("local"));
    assertEquals(WeightSplit.ALL_STABLE, weights.get("eu-west"), "eu-west waits its turn");
    acceptAll();
    ReleaseMachine.Result accepted = step(settings, null);
    assertTrue(accepted.resetBaseline(), "the step's analysis window starts once it is accepted");
    step(settings, verdict(Verdict.PASS));
    assertEquals(TEN, weights.get("local"), "the step's pause has not passed");
    now = now.plusSeconds(10);
    step(settings, verdict(Verdict.PASS));
    assertEquals(HALF, weights.get("local"));
    acceptAll();
    step(settings, null);
    step(settings, verdict(Verdict.PASS));
    assertEquals("Done", status.getRegions().get(0).getState());
    assertEquals(TEN, weights.get("eu-west"), "then the next region");
    acceptAll();
    step(settings, null);
    now = now.plusSeconds(10);
    step(settings, verdict(Verdict.PASS));
    acceptAll();
    step(settings, null);
    step(settings, verdict(Verdict.PASS));
    assertEquals(ReleasePhase.PROMOTING, status.getPhase());
    assertTrue(V2.sameConfig(status.getStable()), "stable takes the new version");
    assertEquals(HALF, weights.get("eu-west"), "traffic stays until stable raters serve it");
    stableLoaded = true;
    step(settings, null);
    assertEquals(WeightSplit.ALL_STABLE, weights.get("local"));
    assertEquals(WeightSplit.ALL_STABLE, weights.get("eu-west"));
    acceptAll();
    step(settings, null);
    assertEquals(ReleasePhase.SUCCEEDED, status.getPhase());
    assertNull(status.getCanary());
    assertTrue(status.getHistory().size() >= 4);
  }

  private void progressToFirstStep(ReleaseSettings settings) {
    current = V2;
    canaryLoaded = true;
    step(settings, null);
    if (ReleasePhase.SHADOWING.equals(status.getPhase())) {
      step(settings, verdict(Verdict.PASS));
    }
    step(settings, null);
    assertEquals(TEN, weights.get("local"));
    acceptAll();
    step(settings, null);
    assertTrue(status.getStepSince() != null, "the first step is accepted and under analysis");
  }

  @Test
  void aFailedAnalysisRollsBackEveryRegionInTheSameStep() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    weights.put("eu-west", TEN);
    ReleaseMachine.Result result =
        step(settings, verdict(Verdict.FAIL, "error rate 30.00% > 1.00%"));
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
    assertEquals(
        Map.of("local", WeightSplit.ALL_STABLE, "eu-west", WeightSplit.ALL_STABLE),
        result.routeWrites());
    assertTrue(V2.sameConfig(status.getFailed()));
    assertNull(status.getCanary(), "the canary track goes back to stable");
    assertTrue(
        result.notices().stream()
            .anyMatch(n -> n.warning() && n.message().contains("error rate 30.00% > 1.00%")),
        "the Event carries the figures");
  }

  @Test
  void onceRestoredARouteIsTheUsersAgain() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    step(settings, verdict(Verdict.FAIL, "error rate 30.00% > 1.00%"));
    step(settings, null);
    assertTrue(last.routeWrites().isEmpty(), "written once, then waited on");
    assertEquals("Restoring", status.getRegions().get(0).getState(), "not yet accepted");
    acceptAll();
    step(settings, null);
    assertEquals("Restored", status.getRegions().get(0).getState());
    weights.put("local", HALF);
    assertTrue(step(settings, null).routeWrites().isEmpty(), "a weight set by hand stays");
  }

  @Test
  void aFailedVersionIsNotReleasedAgainUntilTheTargetChanges() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    step(settings, verdict(Verdict.FAIL, "p99 latency 250 ms > 100 ms"));
    acceptAll();
    step(settings, null);
    step(settings, null);
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
    current = V3;
    step(settings, null);
    assertEquals(ReleasePhase.PROGRESSING, status.getPhase());
    assertTrue(V3.sameConfig(status.getCanary()));
  }

  @Test
  void failuresUpToTheLimitAreTolerated() {
    ReleaseSettings settings = settings(false, false, 1);
    progressToFirstStep(settings);
    step(settings, verdict(Verdict.FAIL, "one bad interval"));
    assertEquals(ReleasePhase.PROGRESSING, status.getPhase());
    assertEquals(1, status.getFailures());
    step(settings, verdict(Verdict.FAIL, "another"));
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
  }

  @Test
  void holdingForLackOfTrafficPastTheDeadlineRollsBack() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    step(settings, verdict(Verdict.HOLD, "3 requests < 10"));
    assertEquals(ReleasePhase.PROGRESSING, status.getPhase());
    now = now.plus(Duration.ofMinutes(2));
    step(settings, verdict(Verdict.HOLD, "3 requests < 10"));
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
    assertEquals(
        "ProgressDeadline", status.getHistory().get(status.getHistory().size() - 1).getReason());
  }

  @Test
  void aShadowThatFlipsDecisionsStopsTheReleaseBeforeAnyTrafficMoves() {
    ReleaseSettings settings = settings(true, false, 0);
    current = V2;
    canaryLoaded = true;
    step(settings, null);
    ReleaseMachine.Result result = step(settings, verdict(Verdict.FAIL, "flip rate 100% > 1%"));
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
    assertTrue(result.routeWrites().isEmpty(), "no route ever had canary weight");
    assertEquals(WeightSplit.ALL_STABLE, weights.get("local"));
  }

  @Test
  void aRouteTheGatewayHasNotAcceptedHoldsTheStepWithoutRollingBack() {
    ReleaseSettings settings = settings(false, false, 0);
    current = V2;
    canaryLoaded = true;
    step(settings, null);
    now = now.plus(Duration.ofMinutes(5));
    step(settings, null);
    assertEquals(ReleasePhase.PROGRESSING, status.getPhase());
    assertEquals("Shifting", status.getRegions().get(0).getState());
    assertNull(status.getStepSince());
  }

  @Test
  void aRouteThatCannotTakeTheReleaseIsWaitedOnAndNeverWritten() {
    ReleaseSettings settings = settings(false, false, 0);
    current = V2;
    canaryLoaded = true;
    routeProblem = "HTTPRoute default/raters does not exist";
    step(settings, null);
    ReleaseMachine.Result result = step(settings, null);
    assertTrue(result.routeWrites().isEmpty());
    assertEquals("Waiting", status.getRegions().get(0).getState());
    assertEquals(routeProblem, status.getRegions().get(0).getMessage());
    routeProblem = null;
    step(settings, null);
    assertEquals(TEN, weights.get("local"), "the route is back: the step goes on");
  }

  @Test
  void pauseHoldsTheStepAndResumeGoesOn() {
    progressToFirstStep(settings(false, false, 0));
    step(settings(false, true, 0), verdict(Verdict.PASS));
    assertEquals(ReleasePhase.PAUSED, status.getPhase());
    now = now.plusSeconds(30);
    step(settings(false, true, 0), verdict(Verdict.PASS));
    assertEquals(TEN, weights.get("local"), "no step while paused");
    step(settings(false, true, 0), verdict(Verdict.FAIL, "breach while paused"));
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase(), "a breach still rolls back");
  }

  @Test
  void resumingReturnsToThePhasePausedFrom() {
    progressToFirstStep(settings(false, false, 0));
    step(settings(false, true, 0), null);
    assertEquals(ReleasePhase.PAUSED, status.getPhase());
    step(settings(false, false, 0), null);
    assertEquals(ReleasePhase.PROGRESSING, status.getPhase());
    now = now.plusSeconds(30);
    step(settings(false, false, 0), verdict(Verdict.PASS));
    assertEquals(HALF, weights.get("local"));
  }

  @Test
  void promoteSkipsTheRemainingSteps() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    step(settings, null, ReleaseMachine.Manual.PROMOTE);
    assertEquals(ReleasePhase.PROMOTING, status.getPhase());
    assertTrue(V2.sameConfig(status.getStable()));
  }

  @Test
  void abortRollsBack() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    step(settings, null, ReleaseMachine.Manual.ABORT);
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
    assertEquals("Aborted", status.getHistory().get(status.getHistory().size() - 1).getReason());
  }

  @Test
  void aNewerVersionReplacesTheOneUnderReleaseAndTrafficReturnsFirst() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    assertEquals(TEN, weights.get("local"));
    current = V3;
    ReleaseMachine.Result result = step(settings, null);
    assertTrue(V3.sameConfig(status.getCanary()));
    assertEquals(WeightSplit.ALL_STABLE, result.routeWrites().get("local"));
    assertFalse(V2.sameConfig(status.getFailed()), "superseded is not failed");
  }

  @Test
  void revertingTheTargetToStableEndsTheReleaseRolledBack() {
    ReleaseSettings settings = settings(false, false, 0);
    progressToFirstStep(settings);
    current = V1;
    step(settings, null);
    assertEquals(ReleasePhase.ROLLED_BACK, status.getPhase());
    assertEquals(WeightSplit.ALL_STABLE, weights.get("local"));
  }
}
