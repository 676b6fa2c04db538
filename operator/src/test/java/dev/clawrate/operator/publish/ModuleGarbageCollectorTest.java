package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.operator.local.LocalCluster;
import dev.clawrate.rater.engine.ModuleDigest;
import dev.clawrate.rater.snapshot.ClusterLayout;
import dev.clawrate.rater.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
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
    ModuleConfigMaps modules = new ModuleConfigMaps(cluster.client(), namespace);
    modules.ensure(A, MODULE_A);
    modules.ensure(B, MODULE_B);
    clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    collector = new ModuleGarbageCollector(cluster.client(), namespace, GRACE, clock);
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
    ModuleGarbageCollector eager =
        new ModuleGarbageCollector(cluster.client(), namespace, Duration.ZERO, clock);
    assertEquals(1, eager.collect(Set.of(A)));
    assertNull(module(B));
  }
}
