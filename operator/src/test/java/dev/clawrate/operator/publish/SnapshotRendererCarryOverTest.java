package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.rater.engine.ModelLimits;
import dev.clawrate.rater.snapshot.ModelEntry;
import dev.clawrate.rater.snapshot.SnapshotDocument;
import dev.clawrate.rater.snapshot.TenantEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edge cases of the renderer's carry-over of a tenant's previous entry, beyond the goldens. */
class SnapshotRendererCarryOverTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String KEY = "9".repeat(64);

  private static final ModelInput TEAM_A_SCORECARD =
      new ModelInput(
          "team-a",
          "scorecard",
          DIGEST,
          "rate",
          ModelLimits.DEFAULTS,
          "2025-01-01T00:00:00Z",
          null);

  /** Published before: tenant 'acme' of team-a, with its API key, rated by team-a's scorecard. */
  private static final RenderedSnapshot PREVIOUS =
      new RenderedSnapshot(
          new SnapshotDocument(
              4,
              "stable",
              Map.of("scorecard", new ModelEntry(DIGEST, "rate", ModelLimits.DEFAULTS)),
              Map.of(
                  "acme",
                  new TenantEntry(
                      "scorecard",
                      650,
                      JsonNodeFactory.instance.objectNode().put("secretDiscount", 5),
                      List.of(KEY)))),
          Map.of(),
          Map.of("scorecard", ResourceKey.model("team-a", "scorecard")),
          Map.of("acme", ResourceKey.tenant("team-a", "acme")));

  private static TenantInput tenant(
      String namespace, String name, String id, String model, String created) {
    return new TenantInput(namespace, name, id, model, 600.0, null, List.of(), created, null);
  }

  @Test
  void aBadEditInTheSameNamespaceKeepsThePreviousEntry() {
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(TEAM_A_SCORECARD),
            List.of(tenant("team-a", "acme", "acme", "missing", "2025-01-02T00:00:00Z")),
            PREVIOUS);
    assertEquals(
        PREVIOUS.document().tenants().get("acme"), rendered.document().tenants().get("acme"));
    assertTrue(
        rendered.excluded().get(ResourceKey.tenant("team-a", "acme")).endsWith("still served"));
    assertEquals(
        Map.of(
            ResourceKey.model("team-a", "scorecard"), DIGEST,
            ResourceKey.tenant("team-a", "acme"), DIGEST),
        rendered.served(),
        "the kept entry is still served, with its model's digest");
  }

  @Test
  void aDeletedTenantIsNotCarriedOver() {
    RenderedSnapshot rendered =
        SnapshotRenderer.render("stable", List.of(TEAM_A_SCORECARD), List.of(), PREVIOUS);
    assertFalse(rendered.document().tenants().containsKey("acme"));
  }

  @Test
  void anotherNamespacesBrokenTenantDoesNotKeepADeletedTenantAlive() {
    // team-a deleted its TenantConfig 'acme'; team-b applies one with the same tenant id whose
    // model does not exist. The previous entry was never team-b's configuration: it must go.
    TenantInput intruder = tenant("team-b", "acme-copy", "acme", "missing", "2025-02-01T00:00:00Z");
    RenderedSnapshot rendered =
        SnapshotRenderer.render("stable", List.of(TEAM_A_SCORECARD), List.of(intruder), PREVIOUS);
    assertFalse(
        rendered.document().tenants().containsKey("acme"),
        "team-a's deleted tenant is still served: " + rendered.document().tenants().get("acme"));
    assertFalse(
        rendered
            .excluded()
            .get(ResourceKey.tenant("team-b", "acme-copy"))
            .contains("still served"));
    assertEquals(Map.of(ResourceKey.model("team-a", "scorecard"), DIGEST), rendered.served());
  }

  @Test
  void exclusionReasonsDoNotDependOnInputOrder() {
    TenantInput older = tenant("team-a", "acme", "acme", "missing", "2025-01-02T00:00:00Z");
    TenantInput newer = tenant("team-b", "acme", "acme", "missing", "2025-03-01T00:00:00Z");
    List<TenantInput> forward = new ArrayList<>(List.of(older, newer));
    List<TenantInput> backward = new ArrayList<>(forward);
    Collections.reverse(backward);
    RenderedSnapshot one =
        SnapshotRenderer.render("stable", List.of(TEAM_A_SCORECARD), forward, PREVIOUS);
    RenderedSnapshot two =
        SnapshotRenderer.render("stable", List.of(TEAM_A_SCORECARD), backward, PREVIOUS);
    assertEquals(one.document(), two.document());
    assertEquals(one.excluded(), two.excluded());
  }
}
