package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.local.LocalCluster;
import dev.clawrate.rater.engine.ModuleDigest;
import dev.clawrate.rater.snapshot.ClusterLayout;
import dev.clawrate.rater.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class ModuleConfigMapsTest {

  private static LocalCluster cluster;
  private String namespace;
  private ModuleConfigMaps modules;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void freshNamespace(TestInfo info) {
    namespace = "ns-" + info.getTestMethod().orElseThrow().getName().toLowerCase();
    modules = new ModuleConfigMaps(cluster.client(), namespace);
  }

  private ConfigMap get(String digest) {
    return cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(ClusterLayout.moduleConfigMapName(digest))
        .get();
  }

  @Test
  void ensureCreatesAnImmutableLabelledConfigMapWithTheDigest() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);

    assertTrue(modules.ensure(digest, module));

    ConfigMap configMap = get(digest);
    assertEquals(
        "clawrate-model-" + digest.substring("sha256:".length(), "sha256:".length() + 12),
        configMap.getMetadata().getName());
    assertEquals(Boolean.TRUE, configMap.getImmutable());
    assertEquals(ClusterLayout.moduleLabels(), configMap.getMetadata().getLabels());
    assertEquals(
        digest, configMap.getMetadata().getAnnotations().get(ClusterLayout.ANNOTATION_DIGEST));
    assertArrayEquals(
        module,
        Base64.getDecoder().decode(configMap.getBinaryData().get(ClusterLayout.MODULE_KEY)));
    assertTrue(configMap.getData() == null || configMap.getData().isEmpty());
  }

  @Test
  void secondEnsureIsANoOp() {
    byte[] module = Fixtures.module("constant-b");
    String digest = ModuleDigest.of(module);
    assertTrue(modules.ensure(digest, module));
    String version = get(digest).getMetadata().getResourceVersion();

    assertFalse(modules.ensure(digest, module));
    assertFalse(new ModuleConfigMaps(cluster.client(), namespace).ensure(digest, module));

    assertEquals(version, get(digest).getMetadata().getResourceVersion());
  }

  @Test
  void aModuleDeletedByTheGarbageCollectorIsWrittenAgainWhenNeeded() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    assertTrue(modules.ensure(digest, module));
    var collector =
        new ModuleGarbageCollector(
            cluster.client(),
            namespace,
            java.time.Duration.ZERO,
            java.time.Clock.systemUTC(),
            modules::forget);
    assertEquals(1, collector.collect(java.util.Set.of()));
    assertTrue(modules.ensure(digest, module), "a rollback finds its module written again");
    assertEquals(
        digest,
        cluster
            .client()
            .configMaps()
            .inNamespace(namespace)
            .withName(ClusterLayout.moduleConfigMapName(digest))
            .get()
            .getMetadata()
            .getAnnotations()
            .get(ClusterLayout.ANNOTATION_DIGEST));
  }

  @Test
  void aConfigMapOfTheSameNameHoldingAnotherDigestIsACollision() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    // Same first 12 hex digits, different digest.
    String hex = digest.substring("sha256:".length());
    String other =
        "sha256:" + hex.substring(0, 12) + (hex.charAt(12) == '0' ? '1' : '0') + hex.substring(13);
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(ClusterLayout.moduleConfigMapName(digest))
                .withNamespace(namespace)
                .withLabels(ClusterLayout.moduleLabels())
                .addToAnnotations(ClusterLayout.ANNOTATION_DIGEST, other)
                .endMetadata()
                .withImmutable(true)
                .addToBinaryData(ClusterLayout.MODULE_KEY, "AGFzbQEAAAA=")
                .build())
        .create();
    String version = get(digest).getMetadata().getResourceVersion();

    ModuleConfigMaps.DigestCollisionException e =
        assertThrows(
            ModuleConfigMaps.DigestCollisionException.class, () -> modules.ensure(digest, module));
    assertTrue(e.getMessage().contains(digest), e.getMessage());
    assertTrue(e.getMessage().contains(other), e.getMessage());
    assertEquals(version, get(digest).getMetadata().getResourceVersion(), "left untouched");
  }

  @Test
  void aConfigMapOfTheSameNameWithoutDigestAnnotationIsACollision() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(ClusterLayout.moduleConfigMapName(digest))
                .withNamespace(namespace)
                .endMetadata()
                .addToData("something", "else")
                .build())
        .create();
    assertThrows(
        ModuleConfigMaps.DigestCollisionException.class, () -> modules.ensure(digest, module));
  }
}
