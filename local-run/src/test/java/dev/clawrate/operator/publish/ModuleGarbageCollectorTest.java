package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.render.ModulePresence;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.SnapshotRendererCarryOverTest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class ModuleGarbageCollectorTest {

  private static final Duration GRACE = Duration.ofMinutes(10);

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static LocalCluster cluster;
  private static final byte[] MODULE_A = Fixtures.module("constant-a");
  private static final byte[] MODULE_B = Fixtures.module("constant-b");
  private static final String A = ModuleDigest.of(MODULE_A);
  private static final String B = ModuleDigest.of(MODULE_B);

  private String namespace;
  private MutableClock clock;
  private ModuleConfigMaps modules;
  private ModuleGarbageCollector collector;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void setUp(TestInfo info) {
    namespace = "ns-" + info.getTestMethod().orElseThrow().getName().toLowerCase();
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    modules = new ModuleConfigMaps(cluster.client(), namespace, "local", clock);
    modules.ensure(A, MODULE_A);
    modules.ensure(B, MODULE_B);
    collector = collector(GRACE);
  }

  private ModuleGarbageCollector collector(Duration grace) {
    return new ModuleGarbageCollector(
        modules,
        () ->
            ModuleConfigMaps.modules(
                cluster.client().configMaps().inNamespace(namespace).list().getItems()),
        grace,
        clock,
        "local");
  }

  private ConfigMap module(String digest) {
    return cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(ClusterLayout.moduleConfigMapName(digest))
        .get();
  }

  @Test
  void unreferencedModuleIsKeptWithinGraceAndDeletedAfter() {
    assertEquals(0, collector.collect(Set.of(A)));
    assertNotNull(module(B));

    clock.advance(GRACE.minusSeconds(1));
    assertEquals(0, collector.collect(Set.of(A)));
    assertNotNull(module(B));

    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, collector.collect(Set.of(A)));
    assertNull(module(B));
    assertNotNull(module(A));
  }

  @Test
  void referencedModuleIsNeverDeleted() {
    for (int i = 0; i < 5; i++) {
      assertEquals(0, collector.collect(Set.of(A, B)));
      clock.advance(GRACE.multipliedBy(3));
    }
    assertNotNull(module(A));
    assertNotNull(module(B));
  }

  @Test
  void aModuleReferencedAgainStartsItsGraceAfresh() {
    collector.collect(Set.of(A)); // B unreferenced since t0
    clock.advance(Duration.ofMinutes(5));
    collector.collect(Set.of(A, B)); // B referenced again (a rollback)
    clock.advance(Duration.ofMinutes(3));
    collector.collect(Set.of(A)); // B unreferenced since t0+8m

    clock.advance(Duration.ofMinutes(4)); // t0+12m: over grace counted from t0, not from t0+8m
    assertEquals(0, collector.collect(Set.of(A)));
    assertNotNull(module(B));

    clock.advance(Duration.ofMinutes(6)); // t0+18m: grace counted from t0+8m is over
    assertEquals(1, collector.collect(Set.of(A)));
    assertNull(module(B));
  }

  @Test
  void graceStartsAtTheFirstCollectThatSeesTheModuleUnreferenced() {
    clock.advance(Duration.ofHours(1));
    // However old the ConfigMap, a collector that has never seen it unreferenced keeps it.
    assertEquals(0, collector.collect(Set.of()));
    assertNotNull(module(A));
    assertNotNull(module(B));
    clock.advance(GRACE);
    assertEquals(2, collector.collect(Set.of()));
  }

  @Test
  void configMapsWithoutTheModuleLabelAreNotTouched() {
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("clawrate-model-unrelated")
                .withNamespace(namespace)
                .addToLabels(ClusterLayout.LABEL_COMPONENT, "something-else")
                .endMetadata()
                .addToData("x", "y")
                .build())
        .create();
    collector.collect(Set.of());
    clock.advance(GRACE);
    assertEquals(2, collector.collect(Set.of()));
    assertNotNull(
        cluster
            .client()
            .configMaps()
            .inNamespace(namespace)
            .withName("clawrate-model-unrelated")
            .get());
  }

  @Test
  void zeroGraceDeletesAtOnce() {
    ModuleGarbageCollector eager = collector(Duration.ZERO);
    assertEquals(1, eager.collect(Set.of(A)));
    assertNull(module(B));
  }

  /**
   * The race of a stale cache: a reconcile asks for module B (it will name B in the model's status
   * next) while the collector, whose view of statuses lags, finds B unreferenced past its grace.
   * Whichever takes the lock first, B is never gone when a snapshot names it.
   */
  @Test
  void aModuleAskedForWhileTheCollectorDecidesIsKept() throws Exception {
    collector.collect(Set.of(A));
    clock.advance(GRACE.plusMinutes(1)); // B unreferenced for longer than the grace

    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch collected = new CountDownLatch(1);
    Thread reconcile =
        new Thread(
            () -> {
              modules.ensure(B, MODULE_B);
              asked.countDown();
            });
    Thread gc =
        new Thread(
            () -> {
              try {
                asked.await();
                collector.collect(Set.of(A)); // stale: the status naming B is not seen yet
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                collected.countDown();
              }
            });
    gc.start();
    reconcile.start();
    collected.await();
    reconcile.join();

    assertNotNull(module(B), "asked for within the grace period, so kept");
    assertEquals(Set.of(), modules.missing(Set.of(A, B)));
  }

  /**
   * With no grace at all the collector may win: then the module is known to be gone, so the
   * snapshot about to be published leaves the model out (or keeps its previous module) instead of
   * naming a module that does not exist, and asking for it again writes it back.
   */
  @Test
  void aModuleDeletedJustBeforeAPublishIsNeverNamedByIt() throws Exception {
    ModuleGarbageCollector eager = collector(Duration.ZERO);
    CountDownLatch deleted = new CountDownLatch(1);
    Thread gc =
        new Thread(
            () -> {
              eager.collect(Set.of(A)); // stale: a status naming B is on its way
              deleted.countDown();
            });
    gc.start();
    deleted.await();
    gc.join();
    assertNull(module(B));

    // What the publisher does next with a world whose model "scorer" now names B.
    RenderedSnapshot rendered = SnapshotRendererCarryOverTest.renderOneModel("scorer", B);
    RenderedSnapshot toWrite =
        ModulePresence.restrict(
            rendered,
            modules.missing(Set.of(B)),
            SnapshotRendererCarryOverTest.renderOneModel("scorer", A).document());
    assertEquals(A, toWrite.document().models().get("scorer").digest(), "previous module kept");

    assertTrue(modules.ensure(B, MODULE_B), "asking again writes it back");
    assertNotNull(module(B));
    assertEquals(Set.of(), modules.missing(Set.of(B)));
  }
}
