package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.heartbeat.HeartbeatCodec;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.metrics.MetricNames;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.testing.ClusterConfig;
import dev.clawrate.rater.testing.MockCluster;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real rater keeping its heartbeat Lease on fabric8's mock API server in CRUD mode. */
class LeaseHeartbeatTest {

  private static final String POD = "rater-0";
  private static final String LEASE = HeartbeatLayout.leaseName(POD);
  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final byte[] VERSION_A = Fixtures.module("constant-a");
  private static final byte[] VERSION_B = Fixtures.module("constant-b");
  private static final String DIGEST_A = ModuleDigest.of(VERSION_A);
  private static final String DIGEST_B = ModuleDigest.of(VERSION_B);

  private MockCluster cluster;
  private ClusterConfig config;

  @BeforeEach
  void startCluster() {
    cluster = MockCluster.start();
    config = cluster.config();
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  /** A rater renewing every {@code seconds}, with revision 1 (model scorer, A) published. */
  private RunningRater serve(int seconds) {
    config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
    return RunningRater.serveKube(
        cluster.client(),
        MockCluster.NAMESPACE,
        "--pod-name",
        POD,
        "--heartbeat-seconds",
        Integer.toString(seconds));
  }

  private Lease lease() {
    return cluster.client().leases().inNamespace(MockCluster.NAMESPACE).withName(LEASE).get();
  }

  private static Heartbeat heartbeatOf(Lease lease) {
    try {
      return HeartbeatCodec.read(
          lease.getMetadata().getAnnotations().get(HeartbeatLayout.ANNOTATION_HEARTBEAT));
    } catch (HeartbeatCodec.HeartbeatException e) {
      throw new AssertionError(e);
    }
  }

  /** The heartbeat in the Lease once it satisfies {@code accept}. */
  private Heartbeat awaitHeartbeat(String what, java.util.function.Predicate<Heartbeat> accept) {
    Lease lease = Await.value(what, this::lease, l -> l != null && accept.test(heartbeatOf(l)));
    return heartbeatOf(lease);
  }

  @Test
  void theLeaseNamesThePodAndWhatItServes() {
    byte[] snapshotJson =
        config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).snapshotJson();
    RunningRater rater = serve(1);
    try (rater) {
      Heartbeat heartbeat =
          awaitHeartbeat(
              "the heartbeat reports revision 1", h -> Long.valueOf(1).equals(h.revision()));
      assertEquals("stable", heartbeat.track());
      assertEquals(ModuleDigest.of(snapshotJson), heartbeat.snapshotDigest());
      assertEquals(Map.of("scorer", DIGEST_A), heartbeat.models());
      assertNull(heartbeat.rejected());

      Lease lease = lease();
      assertEquals(HeartbeatLayout.labels("stable"), lease.getMetadata().getLabels());
      assertEquals(POD, lease.getSpec().getHolderIdentity());
      assertEquals(
          1 * HeartbeatLayout.RENEWALS_PER_DURATION, lease.getSpec().getLeaseDurationSeconds());
      assertNotNull(lease.getSpec().getAcquireTime());

      ZonedDateTime renewed = lease.getSpec().getRenewTime();
      Await.until("renewTime advances", () -> lease().getSpec().getRenewTime().isAfter(renewed));
      assertEquals(lease.getSpec().getAcquireTime(), lease().getSpec().getAcquireTime());
    }
  }

  @Test
  void aRejectionShowsAtOnceAndTheNextAcceptedSnapshotClearsIt() {
    // Renewals are five minutes apart: only the write after each reload can show these.
    RunningRater rater = serve(300);
    try (rater) {
      awaitHeartbeat("revision 1 is reported", h -> Long.valueOf(1).equals(h.revision()));

      config.modelWithDigest("scorer", DIGEST_B).publish();
      Heartbeat rejected = awaitHeartbeat("the rejection is reported", h -> h.rejected() != null);
      assertEquals(1L, rejected.revision(), "revision 1 keeps serving");
      assertEquals(2, rejected.rejected().revision());
      assertTrue(
          rejected
              .rejected()
              .reason()
              .contains("module ConfigMap " + ClusterLayout.moduleConfigMapName(DIGEST_B)),
          rejected.rejected().reason());

      config.addModule(VERSION_B);
      Heartbeat accepted =
          awaitHeartbeat("revision 2 is reported", h -> Long.valueOf(2).equals(h.revision()));
      assertNull(accepted.rejected());
      assertEquals(Map.of("scorer", DIGEST_B), accepted.models());
    }
  }

  @Test
  void closeRemovesTheLease() {
    RunningRater rater = serve(1);
    try (rater) {
      Await.until("the Lease exists", () -> lease() != null);
      rater.rater().close();
      assertNull(lease());
    }
  }

  @Test
  void aGracefulShutdownRemovesTheLease() throws Exception {
    RunningRater rater = serve(1);
    try (rater) {
      Await.until("the Lease exists", () -> lease() != null);
      rater.rater().shutdown();
      assertNull(lease());
    }
  }

  @Test
  void aLeaseDeletedBySomeoneElseIsMadeAgain() {
    RunningRater rater = serve(1);
    try (rater) {
      Lease first = Await.value("the Lease exists", this::lease, l -> l != null);
      cluster.client().leases().inNamespace(MockCluster.NAMESPACE).withName(LEASE).delete();
      Lease again =
          Await.value(
              "another Lease is made",
              this::lease,
              l -> l != null && !l.getMetadata().getUid().equals(first.getMetadata().getUid()));
      assertEquals(Map.of("scorer", DIGEST_A), heartbeatOf(again).models());
      assertEquals(POD, again.getSpec().getHolderIdentity());
    }
  }

  @Test
  void aLeaseLeftByAnEarlierContainerOfThePodIsTakenOver() {
    Heartbeat stale = new Heartbeat("stable", 0L, DIGEST_B, Map.of(), false, null);
    cluster
        .client()
        .leases()
        .inNamespace(MockCluster.NAMESPACE)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(LEASE)
                .withAnnotations(
                    Map.of(HeartbeatLayout.ANNOTATION_HEARTBEAT, HeartbeatCodec.write(stale)))
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("someone-before")
                .withLeaseDurationSeconds(99)
                .endSpec()
                .build())
        .create();
    RunningRater rater = serve(1);
    try (rater) {
      awaitHeartbeat(
          "this rater's heartbeat replaces it", h -> Long.valueOf(1).equals(h.revision()));
      Lease lease = lease();
      assertEquals(POD, lease.getSpec().getHolderIdentity());
      assertEquals(3, lease.getSpec().getLeaseDurationSeconds());
      assertEquals(HeartbeatLayout.labels("stable"), lease.getMetadata().getLabels());
    }
  }

  @Test
  void anUnreachableApiServerNeitherStopsServingNorHoldsUpClose() {
    try (KubernetesClient client = MockCluster.clientOf(cluster.url())) {
      config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
      RunningRater rater =
          RunningRater.serveKube(
              client, MockCluster.NAMESPACE, "--pod-name", POD, "--heartbeat-seconds", "1");
      try (rater) {
        Await.until("the Lease exists", () -> lease() != null);
        cluster.stop();
        Await.until("a failed heartbeat write is counted", () -> scrapedFailures(rater) > 0);
        for (int i = 0; i < 20; i++) {
          Answer answer = rater.client().rate("acme-bank", BODY);
          assertEquals(200, answer.status(), answer.body());
        }
        long start = System.nanoTime();
        rater.rater().close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        // The removal is bounded; far more than that would mean close() waited on the API server.
        assertTrue(millis < 30_000, "close took " + millis + " ms");
      }
    }
  }

  private static double scrapedFailures(RunningRater rater) {
    String line =
        rater
            .health()
            .get("/metrics")
            .body()
            .lines()
            .filter(l -> l.startsWith("clawrate_heartbeat_writes_total{outcome=\"failed\"}"))
            .findFirst()
            .orElse("x 0");
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void writesTheLeaseOnceAnApiServerDownAtStartComesUp() {
    int port = MockCluster.freePort();
    RaterMetrics metrics = new RaterMetrics();
    Heartbeat reported = new Heartbeat("stable", 4L, DIGEST_B, Map.of("m", DIGEST_A), false, null);
    try (KubernetesClient early = MockCluster.clientOf("http://127.0.0.1:" + port)) {
      LeaseHeartbeat heartbeat =
          new LeaseHeartbeat(
              early,
              new HeartbeatLease(MockCluster.NAMESPACE, POD, "stable", 3),
              () -> reported,
              Duration.ofSeconds(1),
              metrics,
              Clock.systemUTC());
      try (heartbeat) {
        heartbeat.start();
        Await.until("a failed write is counted", () -> count(metrics, "failed") > 0);
        try (MockCluster late = MockCluster.startOn(port)) {
          Lease lease =
              Await.value(
                  "the Lease is written",
                  () ->
                      late.client()
                          .leases()
                          .inNamespace(MockCluster.NAMESPACE)
                          .withName(LEASE)
                          .get(),
                  l -> l != null);
          assertEquals(reported, heartbeatOf(lease));
          Await.until("the creation is counted", () -> count(metrics, "created") == 1);
          heartbeat.close();
          assertNull(
              late.client().leases().inNamespace(MockCluster.NAMESPACE).withName(LEASE).get());
          assertEquals(1.0, count(metrics, "deleted"));
        }
      }
    }
  }

  private static double count(RaterMetrics metrics, String outcome) {
    Counter counter =
        metrics
            .registry()
            .find(MetricNames.HEARTBEAT_WRITES)
            .tag(MetricNames.TAG_OUTCOME, outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
