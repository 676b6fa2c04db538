package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
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
    modules = newModules();
  }

  private ModuleConfigMaps newModules() {
    return new ModuleConfigMaps(cluster.client(), namespace, "local", Clock.systemUTC());
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
    assertFalse(newModules().ensure(digest, module), "a fresh operator finds it intact");

    assertEquals(version, get(digest).getMetadata().getResourceVersion());
  }

  @Test
  void aModuleDeletedByTheGarbageCollectorIsWrittenAgainWhenNeeded() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    assertTrue(modules.ensure(digest, module));
    var collector =
        new ModuleGarbageCollector(
            modules, this::listed, Duration.ZERO, Clock.systemUTC(), "local");
    assertEquals(1, collector.collect(Set.of()));
    assertEquals(Set.of(digest), modules.missing(Set.of(digest)), "known to be gone");
    assertTrue(modules.ensure(digest, module), "a rollback finds its module written again");
    assertEquals(digest, ModuleConfigMaps.intactDigest(get(digest)));
    assertEquals(Set.of(), modules.missing(Set.of(digest)));
  }

  private List<ConfigMap> listed() {
    return ModuleConfigMaps.modules(
        cluster.client().configMaps().inNamespace(namespace).list().getItems());
  }

  @Test
  void aConfigMapOfTheSameNameThatIsNotIntactIsReplaced() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    // What a hand edit could leave: another digest claimed, bytes that hash to neither.
    String hex = digest.substring("sha256:".length());
    String other =
        "sha256:" + hex.substring(0, 12) + (hex.charAt(12) == '0' ? '1' : '0') + hex.substring(13);
    create(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(ClusterLayout.moduleConfigMapName(digest))
            .withNamespace(namespace)
            .withLabels(ClusterLayout.moduleLabels())
            .addToAnnotations(ClusterLayout.ANNOTATION_DIGEST, other)
            .endMetadata()
            .addToBinaryData(ClusterLayout.MODULE_KEY, "AGFzbQEAAAA=")
            .build());

    assertTrue(modules.ensure(digest, module));

    assertEquals(digest, ModuleConfigMaps.intactDigest(get(digest)));
    assertArrayEquals(
        module,
        Base64.getDecoder().decode(get(digest).getBinaryData().get(ClusterLayout.MODULE_KEY)));
  }

  @Test
  void aConfigMapOfTheSameNameWithoutLabelsOrAnnotationIsReplaced() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    create(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(ClusterLayout.moduleConfigMapName(digest))
            .withNamespace(namespace)
            .endMetadata()
            .addToData("something", "else")
            .build());

    assertTrue(modules.ensure(digest, module));

    ConfigMap replaced = get(digest);
    assertEquals(digest, ModuleConfigMaps.intactDigest(replaced));
    assertEquals(ClusterLayout.moduleLabels(), replaced.getMetadata().getLabels());
    assertTrue(replaced.getData() == null || replaced.getData().isEmpty());
  }

  @Test
  void twoModulesSharingTheNamePrefixAreACollisionNotARepair() {
    byte[] a = Fixtures.module("constant-a");
    byte[] b = Fixtures.module("constant-b");
    // B's ConfigMap, intact, found where A's name points: what a 12-hex-digit collision looks like.
    ConfigMap holdingB =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(ClusterLayout.moduleConfigMapName(ModuleDigest.of(a)))
            .withLabels(ClusterLayout.moduleLabels())
            .addToAnnotations(ClusterLayout.ANNOTATION_DIGEST, ModuleDigest.of(b))
            .endMetadata()
            .addToBinaryData(ClusterLayout.MODULE_KEY, Base64.getEncoder().encodeToString(b))
            .build();
    create(holdingB);
    String version = get(ModuleDigest.of(a)).getMetadata().getResourceVersion();

    ModuleConfigMaps.DigestCollisionException e =
        assertThrows(
            ModuleConfigMaps.DigestCollisionException.class,
            () -> modules.ensure(ModuleDigest.of(a), a));

    assertTrue(e.getMessage().contains(ModuleDigest.of(b)), e.getMessage());
    assertEquals(
        version, get(ModuleDigest.of(a)).getMetadata().getResourceVersion(), "left untouched");
  }

  @Test
  void aDamagedModuleIsKnownNoMoreAndWrittenAgainWhenAskedFor() {
    byte[] module = Fixtures.module("constant-b");
    String digest = ModuleDigest.of(module);
    modules.ensure(digest, module);
    ConfigMap lastSeen = get(digest);
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(lastSeen.getMetadata().getName())
        .delete();

    modules.damaged(digest);

    assertEquals(Set.of(digest), modules.missing(Set.of(digest)));
    assertTrue(modules.ensure(digest, module), "written again");
    assertEquals(digest, ModuleConfigMaps.intactDigest(get(digest)));
  }

  @Test
  void verifyForgetsAModuleTheServerNoLongerListsAndKeepsTheOthers() {
    byte[] kept = Fixtures.module("constant-a");
    byte[] lost = Fixtures.module("constant-b");
    modules.ensure(ModuleDigest.of(kept), kept);
    modules.ensure(ModuleDigest.of(lost), lost);
    cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(ClusterLayout.moduleConfigMapName(ModuleDigest.of(lost)))
        .delete();

    modules.verify();

    assertTrue(modules.exists(ModuleDigest.of(kept)));
    assertFalse(modules.exists(ModuleDigest.of(lost)));
    assertTrue(modules.ensure(ModuleDigest.of(lost), lost), "written again when asked for");
  }

  @Test
  void aModuleAskedForWithinTheGracePeriodIsNotDeleted() {
    byte[] module = Fixtures.module("constant-a");
    String digest = ModuleDigest.of(module);
    modules.ensure(digest, module);

    assertFalse(
        modules.deleteUnlessWanted(
            ClusterLayout.moduleConfigMapName(digest), digest, Duration.ofMinutes(10)));

    assertEquals(digest, ModuleConfigMaps.intactDigest(get(digest)));
  }

  private void create(ConfigMap configMap) {
    cluster.client().configMaps().inNamespace(namespace).resource(configMap).create();
  }
}
