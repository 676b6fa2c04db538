package dev.clawrate.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.CustomSection;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.local.TrafficDriver;
import dev.clawrate.operator.api.CanaryRegionStatus;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryTransition;
import dev.clawrate.operator.canary.ReleasePhase;
import dev.clawrate.operator.traffic.WeightSplit;
import dev.clawrate.rater.testing.RaterClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary releases end to end: three regions of mock API servers, each with real stable and canary
 * raters and a stand-in gateway splitting real requests by the HTTPRoute's weights, and the real
 * operator judging the raters' own metrics.
 */
class CanaryIntegrationTest {

  private static final byte[] STABLE = Fixtures.module("constant-a");

  /** The stable version under a new digest: it answers exactly as stable does. */
  private static final byte[] GOOD = CustomSection.append(STABLE, "release", "2");

  private static final byte[] TRAPS_SOMETIMES = Fixtures.module("trap-sometimes");
  private static final byte[] SLOW = Fixtures.module("slow");
  private static final byte[] FLIPS = Fixtures.module("constant-b");
  private static final byte[] SHIFTS_SCORES = Fixtures.module("constant-c");
  private static final Duration RELEASE_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dir;
  private CanaryWorld world;
  private TrafficDriver traffic;

  @BeforeEach
  void start() throws Exception {
    world = new CanaryWorld(dir);
    world.applyModel(STABLE);
    world.applyTenant();
    for (String region : CanaryWorld.REGIONS) {
      RaterClient stable = new RaterClient(world.region(region).stable().port());
      Await.until(
          "acme is rated by the first version in " + region,
          Duration.ofSeconds(60),
          () -> stable.rate(CanaryWorld.TENANT, "{}").status() == 200);
    }
    traffic = world.startTraffic(40);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private void awaitAdopted() {
    Await.until(
        "the release adopts the first version as stable",
        Duration.ofSeconds(60),
        () -> world.status() != null && world.status().getStable() != null);
  }

  private void awaitPhase(String phase) {
    Await.until(
        "the release is " + phase + " (it is " + world.phase() + ")",
        RELEASE_TIMEOUT,
        () -> phase.equals(world.phase()));
  }

  private static String digest(RaterClient.Answer answer) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(answer.body())
          .path("digest")
          .asText(null);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String lastReason(CanaryReleaseStatus status) {
    List<CanaryTransition> history = status.getHistory();
    return history.get(history.size() - 1).getReason();
  }

  private void assertAllStable() throws Exception {
    for (String region : CanaryWorld.REGIONS) {
      assertEquals(WeightSplit.ALL_STABLE, world.routeWeight(region), region + " is all stable");
    }
  }

  @Test
  void aGoodModelIsShadowedThenPromotedThroughEveryStepInEveryRegionInOrder() throws Exception {
    world.applyRelease(
        spec -> {
          spec.setShadow(CanaryWorld.shadow(100, 20));
          spec.setSteps(List.of(CanaryWorld.step(10, "0s"), CanaryWorld.step(50, "0s")));
        });
    awaitAdopted();
    List<String> firstWeighted = new CopyOnWriteArrayList<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                CanaryReleaseStatus status = world.status();
                if (status != null && status.getRegions() != null) {
                  for (CanaryRegionStatus region : status.getRegions()) {
                    boolean weighted =
                        region.getWeight() != null && !"0".equals(region.getWeight());
                    if (weighted && !firstWeighted.contains(region.getName())) {
                      firstWeighted.add(region.getName());
                    }
                  }
                }
                Thread.onSpinWait();
              }
            });
    watcher.start();
    world.applyModel(GOOD);
    try {
      awaitPhase(ReleasePhase.SUCCEEDED);
    } finally {
      watching.set(false);
      watcher.join();
    }
    CanaryReleaseStatus status = world.status();
    assertEquals(ModuleDigest.of(GOOD), status.getStable().getDigest());
    assertNull(status.getCanary());
    List<String> phases = new ArrayList<>();
    status.getHistory().forEach(t -> phases.add(t.getPhase()));
    assertTrue(
        phases.containsAll(
            List.of(
                ReleasePhase.SHADOWING,
                ReleasePhase.PROGRESSING,
                ReleasePhase.PROMOTING,
                ReleasePhase.SUCCEEDED)),
        "every phase in the history: " + phases);
    assertEquals(CanaryWorld.REGIONS, firstWeighted, "regions took traffic in the given order");
    for (String region : CanaryWorld.REGIONS) {
      assertTrue(traffic.from(region, LocalRegion.CANARY_SERVICE) > 0, region + " canary served");
      RaterClient stable = new RaterClient(world.region(region).stable().port());
      Await.until(
          "stable raters in " + region + " serve the promoted version",
          () -> ModuleDigest.of(GOOD).equals(digest(stable.rate(CanaryWorld.TENANT, "{}"))));
    }
    assertAllStable();
    traffic
        .answers()
        .forEach(
            (region, counts) ->
                counts
                    .keySet()
                    .forEach(key -> assertTrue(key.endsWith(" 200"), region + " " + key)));
  }

  @Test
  void aModelThatTrapsOnSomeInputsIsRolledBackAtTheFirstFailingAnalysis() throws Exception {
    world.applyRelease(spec -> {});
    awaitAdopted();
    world.applyModel(TRAPS_SOMETIMES);
    awaitPhase(ReleasePhase.ROLLED_BACK);
    CanaryReleaseStatus status = world.status();
    assertEquals("AnalysisFailed", lastReason(status));
    assertEquals(1, status.getAnalysis().getFailures());
    assertEquals(ModuleDigest.of(TRAPS_SOMETIMES), status.getFailed().getDigest());
    assertEquals(ModuleDigest.of(STABLE), status.getStable().getDigest());
    assertTrue(status.getAnalysis().getReasons().stream().anyMatch(r -> r.contains("error rate")));
    Await.until("every route is back to stable", () -> allStable());
    RaterClient stable = new RaterClient(world.region("local").stable().port());
    assertEquals(ModuleDigest.of(STABLE), digest(stable.rate(CanaryWorld.TENANT, "{}")));
  }

  private boolean allStable() {
    try {
      for (String region : CanaryWorld.REGIONS) {
        if (!WeightSplit.ALL_STABLE.equals(world.routeWeight(region))) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSlowModelIsRolledBackOnLatency() throws Exception {
    // The candidate takes about a second a call where stable takes microseconds.
    world.applyRelease(spec -> spec.getAnalysis().setMaxP99Millis(500.0));
    awaitAdopted();
    world.applyModel(SLOW);
    awaitPhase(ReleasePhase.ROLLED_BACK);
    CanaryReleaseStatus status = world.status();
    assertEquals("AnalysisFailed", lastReason(status));
    assertTrue(
        status.getAnalysis().getReasons().stream().anyMatch(r -> r.contains("p99")),
        "rolled back on latency: " + status.getAnalysis().getReasons());
    Await.until("every route is back to stable", this::allStable);
  }

  @Test
  void aModelThatShiftsScoresWithoutAnyErrorIsRolledBackOnTheRatingDistribution() throws Exception {
    world.applyRelease(spec -> {});
    awaitAdopted();
    world.applyModel(SHIFTS_SCORES);
    awaitPhase(ReleasePhase.ROLLED_BACK);
    CanaryReleaseStatus status = world.status();
    assertEquals("0.00", status.getAnalysis().getErrorRate(), "it never erred");
    assertTrue(
        status.getAnalysis().getReasons().stream()
            .anyMatch(r -> r.contains("population stability")),
        "rolled back on the score shift: " + status.getAnalysis().getReasons());
    Await.until("every route is back to stable", this::allStable);
  }

  @Test
  void aModelThatFlipsDecisionsIsStoppedInTheShadowPhaseWithNoTrafficShifted() throws Exception {
    world.applyRelease(spec -> spec.setShadow(CanaryWorld.shadow(100, 20)));
    awaitAdopted();
    world.applyModel(FLIPS);
    awaitPhase(ReleasePhase.ROLLED_BACK);
    CanaryReleaseStatus status = world.status();
    assertTrue(
        status.getAnalysis().getReasons().stream().anyMatch(r -> r.contains("flip")),
        "stopped on flips: " + status.getAnalysis().getReasons());
    assertTrue(
        status.getHistory().stream().noneMatch(t -> ReleasePhase.PROGRESSING.equals(t.getPhase())),
        "never progressed");
    for (String region : CanaryWorld.REGIONS) {
      assertEquals(0, traffic.from(region, LocalRegion.CANARY_SERVICE), region + " canary idle");
    }
    assertAllStable();
  }

  @Test
  void aPausedReleaseHoldsItsStepUntilResumed() throws Exception {
    world.applyRelease(spec -> spec.setPaused(true));
    awaitAdopted();
    world.applyModel(GOOD);
    awaitPhase(ReleasePhase.PAUSED);
    assertAllStable();
    assertTrue(world.status().getCanary() != null, "a release is under way");
    world.editRelease(release -> release.getSpec().setPaused(false));
    awaitPhase(ReleasePhase.SUCCEEDED);
    assertEquals(ModuleDigest.of(GOOD), world.status().getStable().getDigest());
  }

  @Test
  void anOperatorRestartedMidReleaseResumesAtTheSameStep() throws Exception {
    world.applyRelease(
        spec -> spec.setSteps(List.of(CanaryWorld.step(20, "3s"), CanaryWorld.step(60, "3s"))));
    awaitAdopted();
    world.applyModel(GOOD);
    Await.until(
        "eu-west takes the release",
        RELEASE_TIMEOUT,
        () -> {
          CanaryReleaseStatus status = world.status();
          return status != null
              && status.getCurrentRegion() != null
              && status.getCurrentRegion() == 1
              && status.getStepSince() != null;
        });
    world.stopOperator();
    CanaryReleaseStatus before = world.status();
    int step = before.getRegions().get(1).getStep();
    world.startOperator();
    Map<String, Integer> seen = new java.util.HashMap<>();
    Await.until(
        "the restarted operator finishes the release",
        RELEASE_TIMEOUT,
        () -> {
          CanaryReleaseStatus status = world.status();
          if (status.getCurrentRegion() != null) {
            seen.merge("lowestRegion", status.getCurrentRegion(), Math::min);
          }
          if (status.getRegions() != null && status.getRegions().get(1).getStep() != null) {
            seen.merge("lowestStep", status.getRegions().get(1).getStep(), Math::min);
          }
          return ReleasePhase.SUCCEEDED.equals(status.getPhase());
        });
    assertEquals(1, seen.getOrDefault("lowestRegion", 1), "it never went back to local");
    assertTrue(seen.getOrDefault("lowestStep", step) >= step, "nor back a step in eu-west");
    assertTrue(
        world.status().getHistory().stream()
                .filter(t -> ReleasePhase.PROGRESSING.equals(t.getPhase()))
                .count()
            == 1,
        "the release was not started over");
  }
}
