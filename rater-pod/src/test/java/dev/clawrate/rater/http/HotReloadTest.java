package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.snapshot.DirectorySource;
import dev.clawrate.rater.testing.ClientLoad;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads under load: no request may fail or see a model that was never published. */
class HotReloadTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";

  @TempDir Path dir;

  @Test
  void fiftyReloadsUnderEightClientsFailNoRequest() throws Exception {
    byte[] versionA = Fixtures.module("constant-a");
    byte[] versionB = Fixtures.module("constant-b");
    Map<String, String> versionByDigest =
        Map.of(ModuleDigest.of(versionA), "a", ModuleDigest.of(versionB), "b");
    ConfigDir config =
        new ConfigDir(dir).model("scorer", versionA).tenant("acme-bank", "scorer", 600);
    config.publish();

    try (RunningRater rater = RunningRater.serve(dir)) {
      ClientLoad load = new ClientLoad(8, rater.client(), "acme-bank", BODY, versionByDigest);
      try (load) {
        for (int reload = 1; reload <= 50; reload++) {
          config.model("scorer", reload % 2 == 1 ? versionB : versionA).publish();
          rater.awaitRevision(config.revision() - 1);
          // Every client finishes at least one request on this revision before the next swap.
          load.awaitAnswers(8);
        }
      }
      assertEquals(List.of(), load.failures());
      assertEquals(versionByDigest.keySet(), load.digestsSeen());
      assertEquals(51, rater.rater().live().current().revision());
      assertTrue(load.answered() >= 400, "answered " + load.answered());
    }
  }

  @Test
  void aRejectedSnapshotLeavesTheLastGoodServingAndSaysWhy() {
    byte[] versionA = Fixtures.module("constant-a");
    ConfigDir config =
        new ConfigDir(dir).model("scorer", versionA).tenant("acme-bank", "scorer", 600);
    config.publish();
    try (RunningRater rater = RunningRater.serve(dir)) {
      config.model("scorer", Fixtures.module("wasi-import")).publish();
      Answer models =
          dev.clawrate.contract.testing.Await.value(
              "the rejection shows in /v1/models",
              () -> rater.health().get("/v1/models"),
              a -> a.json().at("/lastReload/outcome").asText().equals("rejected"));
      assertEquals(1, models.json().get("revision").asInt());
      assertEquals(2, models.json().at("/lastReload/revision").asInt());
      assertTrue(
          models.json().at("/lastReload/error").asText().contains("may import only env.abort"),
          models.body());

      Answer answer = rater.client().rate("acme-bank", BODY);
      assertEquals(200, answer.status());
      assertEquals(ModuleDigest.of(versionA), answer.json().get("digest").asText());

      String metrics = rater.health().get("/metrics").body();
      assertTrue(
          metrics.contains("clawrate_config_reloads_total{outcome=\"rejected\",track=\"stable\"}"),
          metrics);
      assertTrue(metrics.contains("clawrate_config_last_reload_ok{track=\"stable\"} 0.0"));
      assertTrue(metrics.contains("clawrate_config_revision{track=\"stable\"} 1.0"));
      assertEquals(200, rater.health().get("/readyz").status());
    }
  }

  @Test
  void undoingABadEditOrRemovingTheSnapshotIsReportedTruthfully() throws Exception {
    byte[] versionA = Fixtures.module("constant-a");
    ConfigDir config =
        new ConfigDir(dir).model("scorer", versionA).tenant("acme-bank", "scorer", 600);
    config.publish();
    byte[] liveBytes = Files.readAllBytes(dir.resolve(DirectorySource.SNAPSHOT_FILE));
    try (RunningRater rater = RunningRater.serve(dir)) {
      config.writeSnapshot("{\"revision\": 9, ");
      Await.value(
          "the bad edit is rejected",
          () -> rater.health().get("/v1/models"),
          a -> a.json().at("/lastReload/outcome").asText().equals("rejected"));

      config.writeSnapshot(liveBytes);
      Answer models =
          Await.value(
              "the undone edit is ok again",
              () -> rater.health().get("/v1/models"),
              a -> a.json().at("/lastReload/outcome").asText().equals("accepted"));
      assertTrue(models.json().at("/lastReload/error").isMissingNode(), models.body());
      assertTrue(
          rater
              .health()
              .get("/metrics")
              .body()
              .contains("clawrate_config_last_reload_ok{track=\"stable\"} 1.0"));
      assertTrue(rater.health().get("/readyz").json().path("lastReloadError").isMissingNode());

      Files.delete(dir.resolve(DirectorySource.SNAPSHOT_FILE));
      models =
          Await.value(
              "the removal shows in /v1/models",
              () -> rater.health().get("/v1/models"),
              a -> a.json().at("/lastReload/outcome").asText().equals("rejected"));
      assertTrue(
          models
              .json()
              .at("/lastReload/error")
              .asText()
              .endsWith("any more (removed); still serving the last good snapshot, revision 1"),
          models.body());
      assertEquals(1, models.json().get("revision").asInt());
      Answer ready = rater.health().get("/readyz");
      assertEquals(200, ready.status());
      assertEquals(
          models.json().at("/lastReload/error").asText(),
          ready.json().get("lastReloadError").asText());
      assertEquals(200, rater.client().rate("acme-bank", BODY).status());
    }
  }
}
