package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ClientLoad;
import dev.clawrate.rater.testing.ClusterConfig;
import dev.clawrate.rater.testing.MockCluster;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rater in cluster mode against fabric8's mock API server in CRUD mode, over real HTTP and
 * real watches, with ConfigMaps written the way the operator writes them.
 */
class ClusterModeTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final byte[] VERSION_A = Fixtures.module("constant-a");
  private static final byte[] VERSION_B = Fixtures.module("constant-b");
  private static final String DIGEST_A = ModuleDigest.of(VERSION_A);
  private static final String DIGEST_B = ModuleDigest.of(VERSION_B);

  @TempDir Path stateDir;

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

  private RunningRater serve(String... extraArgs) {
    return RunningRater.serveKube(cluster.client(), MockCluster.NAMESPACE, extraArgs);
  }

  private static String servedDigest(RunningRater rater) {
    Answer answer = rater.client().rate("acme-bank", BODY);
    assertEquals(200, answer.status(), answer.body());
    return answer.json().get("digest").asText();
  }

  @Test
  void servesThePublishedSnapshotAndFollowsItsUpdates() {
    config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
    // Another track's snapshot in the same namespace is none of this rater's business.
    cluster
        .config()
        .track(SnapshotCodec.TRACK_CANARY)
        .revision(99)
        .model("scorer", VERSION_B)
        .tenant("acme-bank", "scorer", 600)
        .publish();

    try (RunningRater rater = serve()) {
      assertEquals(200, rater.health().get("/readyz").status());
      assertEquals(DIGEST_A, servedDigest(rater));
      assertEquals(1, rater.rater().live().current().revision());

      config.model("scorer", VERSION_B).publish();
      rater.awaitRevision(2);
      assertEquals(DIGEST_B, servedDigest(rater));
      Answer models = rater.health().get("/v1/models");
      assertEquals(2, models.json().get("revision").asInt(), models.body());
    }
  }

  @Test
  void aSnapshotNamingAMissingModuleWaitsForItWhileTheLastGoodServes() {
    config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
    try (RunningRater rater = serve()) {
      assertEquals(DIGEST_A, servedDigest(rater));

      config.modelWithDigest("scorer", DIGEST_B).publish();
      Answer models =
          Await.value(
              "the rejection shows in /v1/models",
              () -> rater.health().get("/v1/models"),
              a -> a.json().at("/lastReload/outcome").asText().equals("rejected"));
      String error = models.json().at("/lastReload/error").asText();
      assertTrue(
          error.contains(
              "module ConfigMap "
                  + ClusterLayout.moduleConfigMapName(DIGEST_B)
                  + " not found in namespace "
                  + MockCluster.NAMESPACE),
          error);
      assertEquals(1, models.json().get("revision").asInt());
      assertEquals(DIGEST_A, servedDigest(rater));

      // The operator's module write lands late: the watch event retries the snapshot.
      config.addModule(VERSION_B);
      rater.awaitRevision(2);
      assertEquals(DIGEST_B, servedDigest(rater));
    }
  }

  @Test
  void servesAGzippedSnapshotOfThousandsOfTenants() {
    config.model("scorer", VERSION_A);
    for (int i = 0; i < 5_000; i++) {
      ObjectNode parameters = JsonNodeFactory.instance.objectNode().put("segment", "retail-" + i);
      config.tenant(String.format("tenant-%05d", i), "scorer", 600, parameters);
    }
    config.tenant("acme-bank", "scorer", 600);
    ClusterLayout.StoredSnapshot stored = config.publish();
    assertEquals(Set.of(ClusterLayout.SNAPSHOT_GZIP_KEY), stored.binaryData().keySet());
    assertTrue(stored.data().isEmpty());

    try (RunningRater rater = serve()) {
      assertEquals(5_001, rater.rater().live().current().tenants().size());
      assertEquals(DIGEST_A, servedDigest(rater));
      Answer last = rater.client().rate("tenant-04999", BODY);
      assertEquals(200, last.status(), last.body());
    }
  }

  @Test
  void keepsServingWithoutTheApiServerAndRestartsFromTheStateDir() throws Exception {
    config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
    String[] withState = {"--state-dir", stateDir.toString()};
    try (RunningRater rater = serve(withState)) {
      assertEquals(DIGEST_A, servedDigest(rater));
      config.model("scorer", VERSION_B).publish();
      rater.awaitRevision(2);
      Path persistedModule =
          stateDir.resolve("modules").resolve(ModuleDigest.hex(DIGEST_B) + ".wasm");
      Await.until("revision 2 is persisted", () -> Files.exists(persistedModule));
      Await.until(
          "the module of revision 1 is removed from the state dir",
          () ->
              !Files.exists(persistedModule.resolveSibling(ModuleDigest.hex(DIGEST_A) + ".wasm")));

      cluster.stop();
      for (int i = 0; i < 20; i++) {
        assertEquals(DIGEST_B, servedDigest(rater));
      }
    }

    // A restarted pod whose API server is still down serves what its state dir holds.
    try (KubernetesClient deadClient = MockCluster.clientOf(cluster.url());
        RunningRater restarted =
            RunningRater.serveKube(deadClient, MockCluster.NAMESPACE, withState)) {
      assertEquals(200, restarted.health().get("/readyz").status());
      assertEquals(2, restarted.rater().live().current().revision());
      assertEquals(DIGEST_B, servedDigest(restarted));
    }
  }

  @Test
  void startsWithoutTheApiServerAndConvergesWhenItComesUp() {
    int port = MockCluster.freePort();
    try (KubernetesClient early = MockCluster.clientOf("http://127.0.0.1:" + port);
        RunningRater rater =
            RunningRater.serveKube(
                early, MockCluster.NAMESPACE, "--kube-sync-timeout-seconds", "1")) {
      assertEquals(503, rater.health().get("/readyz").status());

      try (MockCluster late = MockCluster.startOn(port)) {
        late.config().model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
        rater.awaitRevision(1);
        assertEquals(200, rater.health().get("/readyz").status());
        assertEquals(DIGEST_A, servedDigest(rater));
      }
    }
  }

  @Test
  void aNewerClusterSnapshotReplacesTheStateDirCopy() {
    config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
    String[] withState = {"--state-dir", stateDir.toString()};
    try (RunningRater rater = serve(withState)) {
      assertEquals(DIGEST_A, servedDigest(rater));
    }
    // While no rater runs, the operator publishes revision 2.
    config.model("scorer", VERSION_B).publish();
    try (RunningRater rater = serve(withState)) {
      rater.awaitRevision(2);
      assertEquals(DIGEST_B, servedDigest(rater));
    }
  }

  @Test
  void twentyReloadsThroughConfigMapsUnderEightClientsFailNoRequest() throws Exception {
    Map<String, String> versionByDigest = Map.of(DIGEST_A, "a", DIGEST_B, "b");
    config.model("scorer", VERSION_A).tenant("acme-bank", "scorer", 600).publish();
    config.addModule(VERSION_B);

    try (RunningRater rater = serve("--state-dir", stateDir.toString())) {
      ClientLoad load = new ClientLoad(8, rater.client(), "acme-bank", BODY, versionByDigest);
      try (load) {
        for (int reload = 1; reload <= 20; reload++) {
          config.model("scorer", reload % 2 == 1 ? VERSION_B : VERSION_A).publish();
          rater.awaitRevision(config.revision() - 1);
          // Every client finishes at least one request on this revision before the next swap.
          load.awaitAnswers(8);
        }
      }
      assertEquals(List.of(), load.failures());
      assertEquals(versionByDigest.keySet(), load.digestsSeen());
      assertEquals(21, rater.rater().live().current().revision());
    }
  }
}
