package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Custom resources that could not be read are excluded from the snapshot, for that reason. */
class UnreadableInputsTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String VALIDATED_STATUS =
      "{\"digest\":\"" + DIGEST + "\",\"entrypoint\":\"rate\"}";

  private static RatingModel model(String name, String spec, String status) {
    return Serialization.unmarshal(
        "{\"apiVersion\":\"clawrate.dev/v1alpha1\",\"kind\":\"RatingModel\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\"team-a\",\"creationTimestamp\":\"2025-01-01T00:00:00Z\"},"
            + "\"spec\":"
            + spec
            + ",\"status\":"
            + status
            + "}",
        RatingModel.class);
  }

  private static TenantConfig tenant(String name, String spec) {
    return Serialization.unmarshal(
        "{\"apiVersion\":\"clawrate.dev/v1alpha1\",\"kind\":\"TenantConfig\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\"team-a\",\"creationTimestamp\":\"2025-01-02T00:00:00Z\"},"
            + "\"spec\":"
            + spec
            + "}",
        TenantConfig.class);
  }

  private static final String GOOD_MODEL_SPEC = "{\"module\":{\"inline\":\"AA==\"}}";

  private static RenderedSnapshot render(
      List<RatingModel> models, List<TenantConfig> tenants, RenderedSnapshot previous) {
    return SnapshotRenderer.render(
        "stable",
        models.stream().map(Inputs::model).toList(),
        tenants.stream().map(Inputs::tenant).toList(),
        previous);
  }

  @Test
  void aModelWithAnUnreadableSpecHasNoValidatedDigestAndIsExcludedForIt() {
    RatingModel model = model("scorer", "{\"module\":[]}", VALIDATED_STATUS);
    ModelInput input = Inputs.model(model);
    assertNull(input.digest());
    assertEquals("spec.module must be an object", input.problem());

    RenderedSnapshot rendered =
        render(
            List.of(model, model("other", GOOD_MODEL_SPEC, VALIDATED_STATUS)),
            List.of(tenant("acme", "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":1}")),
            null);
    assertFalse(rendered.document().models().containsKey("scorer"));
    assertTrue(rendered.document().models().containsKey("other"));
    assertEquals(
        "spec.module must be an object",
        rendered.excluded().get(ResourceKey.model("team-a", "scorer")));
    assertEquals(
        "RatingModel team-a/scorer is not published: spec.module must be an object",
        rendered.excluded().get(ResourceKey.tenant("team-a", "acme")));
  }

  @Test
  void aModelWithAnUnreadableStatusIsExcludedForItUntilTheStatusIsRewritten() {
    RatingModel model = model("scorer", GOOD_MODEL_SPEC, "{\"digest\":{\"a\":1}}");
    RenderedSnapshot rendered = render(List.of(model), List.of(), null);
    assertEquals(
        "status.digest must be a string",
        rendered.excluded().get(ResourceKey.model("team-a", "scorer")));
  }

  @Test
  void aTenantWithAnUnreadableSpecIsExcludedForItAndOthersAreServed() {
    RenderedSnapshot rendered =
        render(
            List.of(model("scorer", GOOD_MODEL_SPEC, VALIDATED_STATUS)),
            List.of(
                tenant("bad", "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":\"abc\"}"),
                tenant("good", "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":1}")),
            null);
    assertEquals(
        "spec.threshold must be a number",
        rendered.excluded().get(ResourceKey.tenant("team-a", "bad")));
    assertFalse(rendered.document().tenants().containsKey("bad"));
    assertTrue(rendered.document().tenants().containsKey("good"));
  }

  @Test
  void aServedTenantWhoseSpecBecomesUnreadableKeepsItsPreviousEntry() {
    List<RatingModel> models = List.of(model("scorer", GOOD_MODEL_SPEC, VALIDATED_STATUS));
    RenderedSnapshot before =
        render(
            models,
            List.of(tenant("acme", "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":7}")),
            null);
    RenderedSnapshot after =
        render(
            models,
            List.of(tenant("acme", "{\"modelRef\":{\"name\":\"scorer\"},\"futureField\":1}")),
            before);
    assertEquals(before.document().tenants().get("acme"), after.document().tenants().get("acme"));
    assertTrue(
        after
            .excluded()
            .get(ResourceKey.tenant("team-a", "acme"))
            .startsWith("spec.futureField is not a field this operator knows"));
  }
}
