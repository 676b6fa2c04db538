package dev.clawrate.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.tenancy.Claims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the renderer's tenancy rules and carry-over, beyond the goldens: a tenant id
 * belongs to the namespace that published it first, whatever happens to its owner's object.
 */
public class SnapshotRendererCarryOverTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String KEY = "9".repeat(64);

  private static final ModelInput TEAM_A_SCORECARD = model("team-a", "scorecard", DIGEST);

  /** Published before: tenant 'acme' of team-a, with its API key, rated by team-a's scorecard. */
  private static final SnapshotDocument PREVIOUS =
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
                  List.of(KEY))));

  /** What the claims ConfigMap holds after team-a published acme with its scorecard. */
  private static final Claims TEAM_A_CLAIMS =
      new Claims(Map.of("acme", "team-a"), Map.of("scorecard", "team-a"));

  private static ModelInput model(String namespace, String name, String digest) {
    return new ModelInput(
        namespace, name, digest, "rate", ModelLimits.DEFAULTS, "2025-01-01T00:00:00Z", null);
  }

  private static TenantInput tenant(
      String namespace, String name, String id, String model, String created) {
    return new TenantInput(
        namespace, name, id, model, 600.0, null, List.of(), null, null, null, created, null);
  }

  /** One model of namespace "ns", rendered with no tenants and no claims. */
  public static RenderedSnapshot renderOneModel(String name, String digest) {
    return SnapshotRenderer.render(
        "stable", List.of(model("ns", name, digest)), List.of(), null, Claims.NONE);
  }

  private static RenderedSnapshot render(List<TenantInput> tenants) {
    return SnapshotRenderer.render(
        "stable", List.of(TEAM_A_SCORECARD), tenants, PREVIOUS, TEAM_A_CLAIMS);
  }

  @Test
  void aBadEditInTheSameNamespaceKeepsThePreviousEntry() {
    RenderedSnapshot rendered =
        render(List.of(tenant("team-a", "acme", "acme", "missing", "2025-01-02T00:00:00Z")));
    assertEquals(PREVIOUS.tenants().get("acme"), rendered.document().tenants().get("acme"));
    Exclusion exclusion = rendered.excluded().get(ResourceKey.tenant("team-a", "acme"));
    assertTrue(exclusion.carriedOver());
    assertTrue(exclusion.message().endsWith("still served"), exclusion.message());
    assertEquals(
        Map.of(
            ResourceKey.model("team-a", "scorecard"), DIGEST,
            ResourceKey.tenant("team-a", "acme"), DIGEST),
        served(rendered),
        "the kept entry is still served, with its model's digest");
  }

  @Test
  void aDeletedTenantIsNotCarriedOver() {
    RenderedSnapshot rendered = render(List.of());
    assertFalse(rendered.document().tenants().containsKey("acme"));
    assertEquals("team-a", rendered.claims().tenantOwner("acme"), "but the claim stays");
  }

  @Test
  void anotherNamespaceCannotTakeATenantIdWhoseOwnerWentAwayForAMoment() {
    // team-a's TenantConfig is deleted (an Argo CD replace); team-b applies a valid one with the
    // same tenant id. The id stays team-a's: team-b is refused, and nothing of acme is served.
    TenantInput intruder = tenant("team-b", "acme-copy", "acme", "pricing", "2025-02-01T00:00:00Z");
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(TEAM_A_SCORECARD, model("team-b", "pricing", "sha256:" + "b".repeat(64))),
            List.of(intruder),
            PREVIOUS,
            TEAM_A_CLAIMS);
    assertFalse(rendered.document().tenants().containsKey("acme"));
    Exclusion refused = rendered.excluded().get(ResourceKey.tenant("team-b", "acme-copy"));
    assertEquals(Exclusion.NAME_CLAIMED, refused.reason());
    assertFalse(refused.message().contains("team-a"), "the owner is not named: " + refused);
    assertFalse(refused.carriedOver());

    // team-a re-creates it: served again, by team-a.
    RenderedSnapshot back =
        SnapshotRenderer.render(
            "stable",
            List.of(TEAM_A_SCORECARD, model("team-b", "pricing", "sha256:" + "b".repeat(64))),
            List.of(
                intruder, tenant("team-a", "acme", "acme", "scorecard", "2025-03-01T00:00:00Z")),
            rendered.document(),
            rendered.claims());
    assertEquals("scorecard", back.document().tenants().get("acme").model());
    assertEquals(ResourceKey.tenant("team-a", "acme"), back.tenantOwners().get("acme"));
  }

  @Test
  void whileTheOwnersNewSpecIsUnpublishableAnotherNamespaceStillCannotTakeTheId() {
    ObjectNode huge = JsonNodeFactory.instance.objectNode();
    huge.put("blob", "x".repeat(SnapshotRenderer.MAX_PARAMETERS_BYTES + 1));
    TenantInput tooBig =
        new TenantInput(
            "team-a",
            "acme",
            "acme",
            "scorecard",
            600.0,
            huge,
            List.of(),
            null,
            null,
            null,
            "2025-01-02T00:00:00Z",
            null);
    TenantInput typo = tenant("team-a", "acme", "acme", "scorecrd", "2025-01-02T00:00:00Z");
    TenantInput intruder = tenant("team-b", "acme", "acme", "pricing", "2025-01-01T00:00:00Z");
    for (TenantInput broken : List.of(tooBig, typo)) {
      RenderedSnapshot rendered =
          SnapshotRenderer.render(
              "stable",
              List.of(TEAM_A_SCORECARD, model("team-b", "pricing", "sha256:" + "b".repeat(64))),
              List.of(broken, intruder),
              PREVIOUS,
              TEAM_A_CLAIMS);
      assertEquals(
          PREVIOUS.tenants().get("acme"),
          rendered.document().tenants().get("acme"),
          "the owner's previous entry is served");
      assertEquals(ResourceKey.tenant("team-a", "acme"), rendered.tenantOwners().get("acme"));
      assertEquals(
          Exclusion.NAME_CLAIMED,
          rendered.excluded().get(ResourceKey.tenant("team-b", "acme")).reason());
    }
  }

  @Test
  void unclaimedIdsGoToTheOldestAndAreClaimedByTheRender() {
    TenantInput older = tenant("team-b", "acme", "acme", "pricing", "2025-01-01T00:00:00Z");
    TenantInput newer = tenant("team-c", "acme", "acme", "pricing", "2025-02-01T00:00:00Z");
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(
                model("team-b", "pricing", DIGEST),
                model("team-c", "pricing", "sha256:" + "c".repeat(64))),
            List.of(newer, older),
            null,
            Claims.NONE);
    assertEquals("team-b", rendered.claims().tenantOwner("acme"));
    assertEquals("team-b", rendered.claims().modelOwner("pricing"));
    assertEquals(
        Exclusion.NAME_CLAIMED,
        rendered.excluded().get(ResourceKey.model("team-c", "pricing")).reason());
  }

  @Test
  void aClaimMovedByThePlatformAdminWinsOverAge() {
    TenantInput older = tenant("team-a", "acme", "acme", "scorecard", "2025-01-01T00:00:00Z");
    TenantInput newer = tenant("team-b", "acme", "acme", "pricing", "2025-02-01T00:00:00Z");
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(TEAM_A_SCORECARD, model("team-b", "pricing", "sha256:" + "b".repeat(64))),
            List.of(older, newer),
            PREVIOUS,
            new Claims(Map.of("acme", "team-b"), Map.of("scorecard", "team-a")));
    assertEquals("pricing", rendered.document().tenants().get("acme").model());
    Exclusion formerOwner = rendered.excluded().get(ResourceKey.tenant("team-a", "acme"));
    assertEquals(Exclusion.NAME_CLAIMED, formerOwner.reason());
    assertFalse(formerOwner.carriedOver(), "a moved id is not carried over for the old owner");
  }

  @Test
  void aCarryOverAfterARestartNeedsOnlyThePublishedSnapshotAndTheClaims() {
    // A restarted operator knows nothing in memory: previous = what the cluster holds.
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(TEAM_A_SCORECARD),
            List.of(tenant("team-a", "acme", "acme", "missing", "2025-01-02T00:00:00Z")),
            PREVIOUS,
            TEAM_A_CLAIMS);
    assertEquals(PREVIOUS.tenants().get("acme"), rendered.document().tenants().get("acme"));
  }

  @Test
  void anUnclaimedPreviousEntryIsNotCarriedOver() {
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            "stable",
            List.of(TEAM_A_SCORECARD),
            List.of(tenant("team-a", "acme", "acme", "missing", "2025-01-02T00:00:00Z")),
            PREVIOUS,
            new Claims(Map.of(), Map.of("scorecard", "team-a")));
    assertNull(rendered.document().tenants().get("acme"));
  }

  @Test
  void exclusionReasonsDoNotDependOnInputOrder() {
    TenantInput older = tenant("team-a", "acme", "acme", "missing", "2025-01-02T00:00:00Z");
    TenantInput newer = tenant("team-b", "acme", "acme", "missing", "2025-03-01T00:00:00Z");
    List<TenantInput> forward = new ArrayList<>(List.of(older, newer));
    List<TenantInput> backward = new ArrayList<>(forward);
    Collections.reverse(backward);
    RenderedSnapshot one = render(forward);
    RenderedSnapshot two = render(backward);
    assertEquals(one.document(), two.document());
    assertEquals(one.excluded(), two.excluded());
  }

  private static Map<ResourceKey, String> served(RenderedSnapshot rendered) {
    return Publication.after(
            "r", 1, rendered, Set.of(), Map.of(), Publication.unknown("r"), null, Instant.EPOCH)
        .published()
        .entrySet()
        .stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().digest()));
  }
}
