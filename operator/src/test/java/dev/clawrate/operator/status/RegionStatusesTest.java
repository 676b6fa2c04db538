package dev.clawrate.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.api.RegionStatus;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.publish.ResourceKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionStatusesTest {

  private static final ResourceKey MODEL = ResourceKey.model("lending", "scorecard");
  private static final String NEW = "sha256:" + "a".repeat(64);
  private static final String OLD = "sha256:" + "b".repeat(64);

  private static Publication served(String region, long revision, String digest) {
    return new Publication(
        region,
        revision,
        Map.of(MODEL, digest),
        Map.of(),
        Instant.parse("2025-01-01T00:00:00Z"),
        null);
  }

  @Test
  void syncedRegionHasNoMessage() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(MODEL, NEW, List.of(served("local", 4, NEW)));
    RegionStatus local = summary.regions().get(0);
    assertEquals("local", local.getName());
    assertEquals(NEW, local.getDigest());
    assertTrue(local.getSynced());
    assertNull(local.getMessage());
    assertEquals(1, summary.synced());
    assertEquals("1/1", summary.syncedOf());
    assertTrue(summary.allSynced());
  }

  @Test
  void regionServingAnOlderDigestIsPublishingTheNewVersion() {
    RegionStatus eu = RegionStatuses.of(MODEL, NEW, List.of(served("eu", 4, OLD))).regions().get(0);
    assertFalse(eu.getSynced());
    assertEquals(OLD, eu.getDigest());
    assertEquals("publishing the new version", eu.getMessage());
  }

  @Test
  void regionServingNothingIsNotPublishedYet() {
    RegionStatus eu =
        RegionStatuses.of(MODEL, NEW, List.of(Publication.unknown("eu"))).regions().get(0);
    assertFalse(eu.getSynced());
    assertNull(eu.getDigest());
    assertEquals("not published yet", eu.getMessage());
  }

  @Test
  void excludedResourceReportsTheReason() {
    Publication publication =
        new Publication(
            "local",
            3,
            Map.of(),
            Map.of(MODEL, "model name 'scorecard' is already used by RatingModel other/scorecard"),
            Instant.EPOCH,
            null);
    RegionStatus local = RegionStatuses.of(MODEL, NEW, List.of(publication)).regions().get(0);
    assertFalse(local.getSynced());
    assertEquals(
        "model name 'scorecard' is already used by RatingModel other/scorecard",
        local.getMessage());
  }

  @Test
  void failingRegionSaysItServesItsLastSnapshot() {
    Publication failing =
        new Publication("us", 2, Map.of(MODEL, OLD), Map.of(), Instant.EPOCH, "connection refused");
    RegionStatus us = RegionStatuses.of(MODEL, NEW, List.of(failing)).regions().get(0);
    assertFalse(us.getSynced());
    assertEquals(OLD, us.getDigest());
    assertEquals(
        "publishing to this region is failing; it serves its last snapshot", us.getMessage());
  }

  @Test
  void nothingIsSyncedWhileNoVersionValidated() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(MODEL, null, List.of(served("local", 1, NEW)));
    assertFalse(summary.regions().get(0).getSynced());
    assertEquals("0/1", summary.syncedOf());
  }

  @Test
  void syncedOfCountsRegionsInOrder() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            NEW,
            List.of(served("local", 5, NEW), served("eu", 5, OLD), served("us", 9, NEW)));
    assertEquals(2, summary.synced());
    assertEquals("2/3", summary.syncedOf());
    assertFalse(summary.allSynced());
    assertEquals(
        List.of("local", "eu", "us"),
        summary.regions().stream().map(RegionStatus::getName).toList());
  }

  @Test
  void noRegionsIsZeroOfZero() {
    RegionStatuses.Summary summary = RegionStatuses.of(MODEL, NEW, List.of());
    assertEquals("0/0", summary.syncedOf());
    assertTrue(summary.regions().isEmpty());
  }

  @Test
  void noRevisionOrTimeSoStatusesDoNotChangeOnEveryPublish() {
    RegionStatus before =
        RegionStatuses.of(MODEL, NEW, List.of(served("local", 4, NEW))).regions().get(0);
    Publication later =
        new Publication(
            "local", 17, Map.of(MODEL, NEW), Map.of(), Instant.parse("2025-06-01T00:00:00Z"), null);
    RegionStatus after = RegionStatuses.of(MODEL, NEW, List.of(later)).regions().get(0);
    assertNull(before.getRevision());
    assertNull(before.getLastSyncTime());
    assertNull(after.getRevision());
    assertNull(after.getLastSyncTime());
    assertEquals(before.getName(), after.getName());
    assertEquals(before.getDigest(), after.getDigest());
    assertEquals(before.getSynced(), after.getSynced());
    assertEquals(before.getMessage(), after.getMessage());
  }
}
