package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapModuleStoreTest {

  private static final byte[] MODULE = Fixtures.module("constant-a");
  private static final String DIGEST = ModuleDigest.of(MODULE);

  private final Map<String, ConfigMap> cache = new HashMap<>();
  private final ConfigMapModuleStore store = new ConfigMapModuleStore(cache::get, "raters");

  private void put(String annotatedDigest, String base64) {
    String name = ClusterLayout.moduleConfigMapName(DIGEST);
    cache.put(
        name,
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withAnnotations(Map.of(ClusterLayout.ANNOTATION_DIGEST, annotatedDigest))
            .endMetadata()
            .withBinaryData(Map.of(ClusterLayout.MODULE_KEY, base64))
            .build());
  }

  @Test
  void readsTheModuleBytes() throws Exception {
    put(DIGEST, Base64.getEncoder().encodeToString(MODULE));
    assertArrayEquals(MODULE, store.read(DIGEST));
  }

  @Test
  void aMissingConfigMapIsNamedWithItsNamespace() {
    var e = assertThrows(ModelValidationException.class, () -> store.read(DIGEST));
    assertEquals(
        "module ConfigMap "
            + ClusterLayout.moduleConfigMapName(DIGEST)
            + " not found in namespace raters",
        e.getMessage());
  }

  @Test
  void aModuleSharingTheNamePrefixIsNotTakenForAnother() {
    // Same first 12 hex digits, different digest: what a prefix collision looks like.
    String other = DIGEST.substring(0, DIGEST.length() - 4) + "0000";
    put(other, Base64.getEncoder().encodeToString(MODULE));
    var e = assertThrows(ModelValidationException.class, () -> store.read(DIGEST));
    assertEquals(
        "module ConfigMap "
            + ClusterLayout.moduleConfigMapName(DIGEST)
            + " does not hold "
            + DIGEST
            + " (its annotation clawrate.dev/digest names another digest or none)",
        e.getMessage());
  }

  @Test
  void brokenBase64IsRejected() {
    put(DIGEST, "not base64!");
    var e = assertThrows(ModelValidationException.class, () -> store.read(DIGEST));
    assertEquals(
        "module in ConfigMap " + ClusterLayout.moduleConfigMapName(DIGEST) + " is not valid base64",
        e.getMessage());
  }
}
