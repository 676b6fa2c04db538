package dev.clawrate.rater.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatReportTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-03-01T10:00:10Z");
  private static final String SNAPSHOT_DIGEST = "sha256:" + "c".repeat(64);

  private final ModelEngine engine = new ModelEngine(ExecutionMode.INTERPRETED, 1);

  @AfterEach
  void close() {
    engine.close();
  }

  private LoadedSnapshot snapshot(long revision) throws Exception {
    byte[] a = Fixtures.module("constant-a");
    byte[] b = Fixtures.module("constant-b");
    ModelRuntime scorer = engine.load(d -> a, ModuleDigest.of(a), "rate", ModelLimits.DEFAULTS);
    ModelRuntime tier = engine.load(d -> b, ModuleDigest.of(b), "rate", ModelLimits.DEFAULTS);
    SnapshotDocument document =
        new SnapshotDocument(
            revision,
            "canary",
            Map.of(
                "scorer", new ModelEntry(ModuleDigest.of(a), "rate", ModelLimits.DEFAULTS),
                "tier", new ModelEntry(ModuleDigest.of(b), "rate", ModelLimits.DEFAULTS)),
            Map.of());
    return new LoadedSnapshot(
        document, SNAPSHOT_DIGEST, Map.of("scorer", scorer, "tier", tier), Map.of(), T0);
  }

  @Test
  void aRaterWithNothingLiveReportsItsTrackOnly() {
    assertEquals(
        new Heartbeat("stable", null, null, Map.of(), false, null),
        HeartbeatReport.of("stable", null, null));
  }

  @Test
  void reportsTheLiveRevisionSnapshotAndEachModelsDigest() throws Exception {
    Heartbeat heartbeat = HeartbeatReport.of("canary", snapshot(12), ReloadStatus.accepted(T0, 12));
    assertEquals(12L, heartbeat.revision());
    assertEquals(SNAPSHOT_DIGEST, heartbeat.snapshotDigest());
    assertEquals(
        Map.of(
            "scorer", ModuleDigest.of(Fixtures.module("constant-a")),
            "tier", ModuleDigest.of(Fixtures.module("constant-b"))),
        heartbeat.models());
    assertNull(heartbeat.rejected());
  }

  @Test
  void aRejectionAfterTheLiveOneIsReportedWithItsRevisionReasonAndTime() throws Exception {
    Heartbeat heartbeat =
        HeartbeatReport.of(
            "canary", snapshot(12), ReloadStatus.rejected(T1, 13, "module ConfigMap missing"));
    assertEquals(12L, heartbeat.revision());
    assertEquals(new Heartbeat.Rejection(13, "module ConfigMap missing", T1), heartbeat.rejected());
  }

  @Test
  void theSameRejectionRetriedKeepsTheTimeItWasFirstReported() throws Exception {
    LoadedSnapshot live = snapshot(12);
    Heartbeat first =
        HeartbeatReport.of("canary", live, ReloadStatus.rejected(T0, 13, "module missing"));
    Heartbeat retried =
        HeartbeatReport.of("canary", live, ReloadStatus.rejected(T1, 13, "module missing"));
    assertEquals(first, HeartbeatReport.steady(first, retried));

    Heartbeat otherReason =
        HeartbeatReport.of("canary", live, ReloadStatus.rejected(T1, 13, "digest mismatch"));
    assertEquals(T1, HeartbeatReport.steady(first, otherReason).rejected().at());
    Heartbeat otherRevision =
        HeartbeatReport.of("canary", live, ReloadStatus.rejected(T1, 14, "module missing"));
    assertEquals(T1, HeartbeatReport.steady(first, otherRevision).rejected().at());
    Heartbeat accepted = HeartbeatReport.of("canary", live, ReloadStatus.accepted(T1, 12));
    assertNull(HeartbeatReport.steady(first, accepted).rejected());
    assertEquals(retried, HeartbeatReport.steady(null, retried));
  }
}
