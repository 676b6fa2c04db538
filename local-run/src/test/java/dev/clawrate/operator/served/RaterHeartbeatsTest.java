package dev.clawrate.operator.served;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.heartbeat.HeartbeatCodec;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The operator's reading of rater heartbeat Leases against the mock API server. The raters are
 * played by the test, writing Leases as the heartbeat contract says; time is the test's, so expiry
 * is decided without waiting for it.
 */
class RaterHeartbeatsTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String SNAPSHOT = "sha256:" + "c".repeat(64);

  private static LocalCluster cluster;
  private String namespace;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger changes = new AtomicInteger();
  private boolean leader = true;
  private RaterHeartbeats heartbeats;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void start(TestInfo info) {
    namespace = "hb-" + info.getTestMethod().orElseThrow().getName().toLowerCase();
    heartbeats =
        new RaterHeartbeats(
            cluster.client(), namespace, "local", () -> leader, now::get, changes::incrementAndGet);
    heartbeats.start();
    Await.until("heartbeats listed", heartbeats::synced);
  }

  @AfterEach
  void stop() {
    heartbeats.close();
  }

  private void beat(String pod, String track, long revision, String renewTime) {
    beat(
        pod,
        track,
        HeartbeatCodec.write(
            new Heartbeat(track, revision, SNAPSHOT, Map.of("scorer", DIGEST), false, null)),
        renewTime);
  }

  private void beat(String pod, String track, String annotation, String renewTime) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(HeartbeatLayout.leaseName(pod))
            .withNamespace(namespace)
            .withLabels(HeartbeatLayout.labels(track))
            .withAnnotations(Map.of(HeartbeatLayout.ANNOTATION_HEARTBEAT, annotation))
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(pod)
            .withLeaseDurationSeconds(3)
            .withRenewTime(java.time.ZonedDateTime.parse(renewTime))
            .endSpec()
            .build();
    cluster.client().leases().inNamespace(namespace).resource(lease).createOr(e -> e.update());
  }

  @Test
  void aRenewedRaterIsLiveAndAnUnrenewedOneExpires() {
    beat("rater-a", "stable", 5, "2026-01-01T00:00:00Z");
    beat("rater-b", "stable", 5, "2026-01-01T00:00:00Z");
    Await.until("both raters seen", () -> heartbeats.live("stable").size() == 2);
    int before = changes.get();

    now.addAndGet(Duration.ofSeconds(4).toNanos()); // over their 3 s without a renewal
    assertTrue(heartbeats.live("stable").isEmpty());
    Await.until("the expiry is reported", () -> changes.get() > before);

    beat("rater-a", "stable", 5, "2026-01-01T00:00:04Z");
    Await.until(
        "a's renewal brings it back, b stays expired",
        () ->
            heartbeats.live("stable").stream()
                .map(Rater::lease)
                .toList()
                .equals(List.of(HeartbeatLayout.leaseName("rater-a"))));
  }

  @Test
  void ratersAreCountedPerTrackAndTheirHighestRevisionBoundsTheNext() {
    beat("rater-a", "stable", 7, "2026-01-01T00:00:00Z");
    beat("rater-c", "canary", 40, "2026-01-01T00:00:00Z");
    Await.until(
        "both seen",
        () -> heartbeats.live("stable").size() == 1 && heartbeats.live("canary").size() == 1);
    assertEquals(7, heartbeats.highestRevision("stable"));
    assertEquals(40, heartbeats.highestRevision("canary"));
    assertTrue(heartbeats.servedDigests().contains(DIGEST));
  }

  @Test
  void anUnreadableHeartbeatCountsAsARaterServingNothing() {
    beat("rater-x", "stable", "{not json", "2026-01-01T00:00:00Z");
    Await.until("seen", () -> heartbeats.live("stable").size() == 1);
    assertNull(heartbeats.live("stable").get(0).heartbeat());
    assertEquals(-1, heartbeats.highestRevision("stable"));
  }

  @Test
  void aHeartbeatWhoseTrackDiffersFromItsLabelIsNotBelieved() {
    String canary =
        HeartbeatCodec.write(new Heartbeat("canary", 9L, SNAPSHOT, Map.of(), false, null));
    beat("rater-y", "stable", canary, "2026-01-01T00:00:00Z");
    Await.until("seen", () -> heartbeats.live("stable").size() == 1);
    assertNull(heartbeats.live("stable").get(0).heartbeat());
  }

  @Test
  void theLeaderRemovesLeasesLongExpiredAndOnlyThen() {
    beat("rater-gone", "stable", 3, "2026-01-01T00:00:00Z");
    Await.until("seen", () -> heartbeats.live("stable").size() == 1);
    leader = false;
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertTrue(heartbeats.live("stable").isEmpty());
    leader = true;
    Await.until(
        "the long-expired Lease is deleted",
        () ->
            cluster
                    .client()
                    .leases()
                    .inNamespace(namespace)
                    .withName(HeartbeatLayout.leaseName("rater-gone"))
                    .get()
                == null);
  }

  @Test
  void aDeletedLeaseIsARaterGone() {
    beat("rater-a", "stable", 3, Instant.EPOCH.toString());
    Await.until("seen", () -> heartbeats.live("stable").size() == 1);
    cluster
        .client()
        .leases()
        .inNamespace(namespace)
        .withName(HeartbeatLayout.leaseName("rater-a"))
        .delete();
    Await.until("gone", () -> heartbeats.live("stable").isEmpty());
  }
}
