package dev.clawrate.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.operator.tenancy.Claims;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each track serves of a target under a CanaryRelease, and of everything else. Pure. */
class TrackSplitTest {

  private static final String OLD = "sha256:" + "a".repeat(64);
  private static final String NEW = "sha256:" + "b".repeat(64);
  private static final ResourceKey SCORER = ResourceKey.model("ns", "scorer");
  private static final ResourceKey ACME = ResourceKey.tenant("ns", "acme");

  private static RenderedSnapshot render(String digest, double threshold) {
    return SnapshotRenderer.render(
        "stable",
        List.of(
            new ModelInput(
                "ns", "scorer", digest, "rate", ModelLimits.DEFAULTS, "2025-01-01T00:00:00Z", null),
            new ModelInput(
                "ns", "other", OLD, "rate", ModelLimits.DEFAULTS, "2025-01-01T00:00:00Z", null)),
        List.of(
            new TenantInput(
                "ns",
                "acme",
                "acme",
                "scorer",
                threshold,
                null,
                List.of(),
                null,
                null,
                null,
                "2025-01-02T00:00:00Z",
                null),
            new TenantInput(
                "ns",
                "globex",
                "globex",
                "other",
                500.0,
                null,
                List.of(),
                null,
                null,
                null,
                "2025-01-02T00:00:00Z",
                null)),
        null,
        new Claims(Map.of(), Map.of()));
  }

  private static ConfigVersion model(String digest) {
    return ConfigVersion.of(new ModelEntry(digest, "rate", ModelLimits.DEFAULTS));
  }

  @Test
  void withoutAReleaseBothTracksServeTheResourcesAsTheyAre() {
    TrackSplit.Tracks tracks = TrackSplit.split(render(NEW, 600), List.of());
    assertEquals(tracks.stable().document().models(), tracks.canary().document().models());
    assertEquals("stable", tracks.stable().document().track());
    assertEquals("canary", tracks.canary().document().track());
    assertTrue(tracks.stable().document().shadows().isEmpty());
  }

  @Test
  void aModelUnderReleaseIsPinnedOnStableAndReleasedOnCanaryWithShadows() {
    Governed governed = new Governed(SCORER, model(OLD), model(NEW), 0.05);
    TrackSplit.Tracks tracks = TrackSplit.split(render(NEW, 600), List.of(governed));
    assertEquals(OLD, tracks.stable().document().models().get("scorer").digest());
    assertEquals(NEW, tracks.canary().document().models().get("scorer").digest());
    assertEquals(
        NEW,
        tracks.stable().document().shadows().get("acme").model().digest(),
        "stable raters rate acme with the candidate too");
    assertNull(tracks.stable().document().shadows().get("globex"), "globex is not on the model");
    assertTrue(tracks.stable().digests().contains(NEW), "the shadow's module goes to the region");
  }

  @Test
  void aSpecChangedInGitReachesNoTrackUntilTheReleaseTakesIt() {
    String newest = "sha256:" + "c".repeat(64);
    Governed governed = new Governed(SCORER, model(OLD), null, null);
    TrackSplit.Tracks tracks = TrackSplit.split(render(newest, 600), List.of(governed));
    assertEquals(OLD, tracks.stable().document().models().get("scorer").digest());
    assertEquals(OLD, tracks.canary().document().models().get("scorer").digest());
  }

  @Test
  void aTenantUnderReleaseKeepsItsPinnedEntryOnStable() {
    RenderedSnapshot before = render(OLD, 600);
    ConfigVersion stable = TrackSplit.currentVersion(before, ACME);
    RenderedSnapshot now = render(OLD, 700);
    ConfigVersion candidate = TrackSplit.currentVersion(now, ACME);
    assertNotEquals(stable.config(), candidate.config());
    TrackSplit.Tracks tracks =
        TrackSplit.split(now, List.of(new Governed(ACME, stable, candidate, 0.5)));
    assertEquals(600, tracks.stable().document().tenants().get("acme").threshold());
    assertEquals(700, tracks.canary().document().tenants().get("acme").threshold());
    assertEquals(700, tracks.stable().document().shadows().get("acme").tenant().threshold());
  }

  @Test
  void aVersionReadBackFromStatusMustHoldTogether() {
    ConfigVersion version = model(NEW);
    var status = version.toStatus();
    assertEquals(version, ConfigVersion.fromStatus(status, true));
    status.setConfig("0".repeat(16));
    assertNull(ConfigVersion.fromStatus(status, true), "an identity not the entry's own");
  }
}
