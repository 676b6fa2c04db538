package dev.clawrate.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.tenancy.Claims;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Custom resources that could not be read: a tenant is excluded for that reason (keeping its
 * previous entry while it owns its id); a model keeps serving the version that validated last.
 */
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
        previous == null ? null : previous.document(),
        previous == null ? Claims.NONE : previous.claims());
  }

  @Test
  void aModelWithAnUnreadableSpecKeepsServingTheVersionThatValidated() {
    RatingModel model = model("scorer", "{\"module\":[]}", VALIDATED_STATUS);
    assertEquals("spec.module must be an object", model.specProblem());
    ModelInput input = Inputs.model(model);
    assertEquals(DIGEST, input.digest());
    assertNull(input.problem());

    RenderedSnapshot rendered =
        render(
            List.of(model),
            List.of(tenant("acme", "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":1}")),
            null);
    assertEquals(DIGEST, rendered.document().models().get("scorer").digest());
    assertTrue(rendered.document().tenants().containsKey("acme"));
  }

  @Test
  void aModelWithAnUnreadableStatusIsExcludedForItUntilTheStatusIsRewritten() {
    RatingModel model = model("scorer", GOOD_MODEL_SPEC, "{\"digest\":{\"a\":1}}");
    RenderedSnapshot rendered = render(List.of(model), List.of(), null);
    Exclusion exclusion = rendered.excluded().get(ResourceKey.model("team-a", "scorer"));
    assertEquals(Exclusion.INVALID_SPEC, exclusion.reason());
    assertEquals("status.digest must be a string", exclusion.message());
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
        rendered.excluded().get(ResourceKey.tenant("team-a", "bad")).message());
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
    Exclusion exclusion = after.excluded().get(ResourceKey.tenant("team-a", "acme"));
    assertTrue(exclusion.carriedOver());
    assertTrue(
        exclusion.message().startsWith("spec.futureField is not a field this operator knows"),
        exclusion.message());
  }

  @Test
  void anUnreadableTenantKeepsTheEntryOfTheIdItsSpecNames() {
    List<RatingModel> models = List.of(model("scorer", GOOD_MODEL_SPEC, VALIDATED_STATUS));
    RenderedSnapshot before =
        render(
            models,
            List.of(
                tenant(
                    "acme",
                    "{\"tenantId\":\"acme-eu\",\"modelRef\":{\"name\":\"scorer\"},\"threshold\":7}")),
            null);
    RenderedSnapshot after =
        render(
            models,
            List.of(
                tenant(
                    "acme",
                    "{\"tenantId\":\"acme-eu\",\"modelRef\":{\"name\":\"scorer\"},\"threshold\":\"x\"}")),
            before);
    assertEquals(
        before.document().tenants().get("acme-eu"), after.document().tenants().get("acme-eu"));
    assertFalse(after.document().tenants().containsKey("acme"));
  }
}
