package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.rater.engine.ModuleDigest;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.Fixtures;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong answered = new AtomicLong();
      List<String> failures = new CopyOnWriteArrayList<>();
      Set<String> digestsSeen = ConcurrentHashMap.newKeySet();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        done.add(
            clients.submit(
                () -> {
                  while (running.get()) {
                    Answer answer = rater.client().rate("acme-bank", BODY);
                    answered.incrementAndGet();
                    if (answer.status() != 200) {
                      failures.add(answer.status() + " " + answer.body());
                      continue;
                    }
                    String digest = answer.json().get("digest").asText();
                    String version = answer.json().at("/result/version").asText();
                    digestsSeen.add(digest);
                    if (!version.equals(versionByDigest.get(digest))) {
                      failures.add("digest " + digest + " answered with version " + version);
                    }
                  }
                }));
      }
      for (int reload = 1; reload <= 50; reload++) {
        config.model("scorer", reload % 2 == 1 ? versionB : versionA).publish();
        rater.awaitRevision(config.revision() - 1);
        long before = answered.get();
        // Let every client finish at least one request on this revision before the next swap.
        while (answered.get() < before + 8) {
          Thread.onSpinWait();
        }
      }
      running.set(false);
      clients.shutdown();
      for (Future<?> f : done) {
        f.get();
      }
      assertEquals(List.of(), failures);
      assertEquals(versionByDigest.keySet(), digestsSeen);
      assertEquals(51, rater.rater().live().current().revision());
      assertTrue(answered.get() >= 400, "answered " + answered.get());
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
          dev.clawrate.rater.testing.Await.value(
              "the rejection shows in /v1/models",
              () -> rater.client().get("/v1/models"),
              a -> a.json().at("/lastReload/outcome").asText().equals("rejected"));
      assertEquals(1, models.json().get("revision").asInt());
      assertEquals(2, models.json().at("/lastReload/revision").asInt());
      assertTrue(
          models.json().at("/lastReload/error").asText().contains("may import only env.abort"),
          models.body());

      Answer answer = rater.client().rate("acme-bank", BODY);
      assertEquals(200, answer.status());
      assertEquals(ModuleDigest.of(versionA), answer.json().get("digest").asText());

      String metrics = rater.client().get("/metrics").body();
      assertTrue(
          metrics.contains("clawrate_config_reloads_total{outcome=\"rejected\",track=\"stable\"}"),
          metrics);
      assertTrue(metrics.contains("clawrate_config_last_reload_ok{track=\"stable\"} 0.0"));
      assertTrue(metrics.contains("clawrate_config_revision{track=\"stable\"} 1.0"));
      assertEquals(200, rater.client().get("/readyz").status());
    }
  }
}
