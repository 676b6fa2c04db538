package dev.clawrate.operator.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.operator.api.ConfigMapKeyRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.RatingModelStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class ModelsWithoutInlineModulesTest {

  private static RatingModel model(String name, ModuleSource source) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName(name).build());
    RatingModelSpec spec = new RatingModelSpec();
    spec.setModule(source);
    spec.setEntrypoint("score");
    model.setSpec(spec);
    RatingModelStatus status = new RatingModelStatus();
    status.setDigest("sha256:" + "ab".repeat(32));
    model.setStatus(status);
    return model;
  }

  @Test
  void aModelIsStoredWithoutItsInlineModuleAndWithEverythingElse() {
    ModelsWithoutInlineModules store = new ModelsWithoutInlineModules();
    ModuleSource inline = new ModuleSource();
    inline.setInline("AGFzbQEAAAA=");
    inline.setSha256("cd".repeat(32));
    RatingModel model = model("scorecard", inline);
    store.put(store.getKey(model), model);

    RatingModel stored = store.get("team-a/scorecard");
    assertNotNull(stored);
    assertNull(stored.getSpec().getModule().getInline());
    assertEquals("cd".repeat(32), stored.getSpec().getModule().getSha256());
    assertEquals("score", stored.getSpec().getEntrypoint());
    assertEquals("sha256:" + "ab".repeat(32), stored.getStatus().getDigest());
  }

  @Test
  void modelsWithoutAnInlineModuleOrASpecAreStoredAsTheyAre() {
    ModelsWithoutInlineModules store = new ModelsWithoutInlineModules();
    ModuleSource fromConfigMap = new ModuleSource();
    fromConfigMap.setConfigMapKeyRef(new ConfigMapKeyRef("modules", "scorecard.wasm"));
    store.put("team-a/cm", model("cm", fromConfigMap));
    RatingModel bare = model("bare", null);
    bare.setSpec(null);
    store.put("team-a/bare", bare);

    assertEquals(
        "modules", store.get("team-a/cm").getSpec().getModule().getConfigMapKeyRef().getName());
    assertNull(store.get("team-a/bare").getSpec());
    assertEquals(2, store.size());
  }
}
