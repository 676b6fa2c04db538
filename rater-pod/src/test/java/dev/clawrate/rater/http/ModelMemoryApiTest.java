package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One tenant's memory-hungry model is refused with 503s; another tenant keeps its 200s. */
class ModelMemoryApiTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";

  @TempDir Path dir;

  @Test
  void aHungryTenantGetsOverloadedWithRetryAfterWhileAnotherKeepsItsRatings() throws Exception {
    new ConfigDir(dir)
        .model(
            "hungry",
            Fixtures.module("memory-hungry"),
            new ModelLimits(ModelLimits.MAX_MEMORY_PAGES, ModelLimits.MAX_TIMEOUT_MILLIS, 1024))
        .model("steady", Fixtures.module("constant-a"))
        .tenant("hungry-bank", "hungry", 0.5)
        .tenant("steady-bank", "steady", 600)
        .publish();
    // memory-hungry holds 30 MiB per instance: one of them fits in half of 64 MiB.
    try (RunningRater rater =
        RunningRater.serve(dir, "--model-memory-mib", "64", "--model-memory-share-percent", "50")) {
      int clients = 6;
      int requestsEach = 15;
      ExecutorService pool = Executors.newFixedThreadPool(2 * clients);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Answer>> hungry = new ArrayList<>();
      List<Future<Answer>> steady = new ArrayList<>();
      try {
        for (int i = 0; i < clients * requestsEach; i++) {
          hungry.add(pool.submit(() -> rateAfter(start, rater, "hungry-bank")));
          steady.add(pool.submit(() -> rateAfter(start, rater, "steady-bank")));
        }
        start.countDown();
        Map<String, Integer> hungryAnswers = new TreeMap<>();
        for (Future<Answer> future : hungry) {
          Answer answer = future.get(60, TimeUnit.SECONDS);
          if (answer.status() == 503) {
            assertEquals("overloaded", answer.errorCode(), answer.body());
            assertEquals(
                "1", answer.raw().headers().firstValue("Retry-After").orElse(null), "Retry-After");
          }
          hungryAnswers.merge(answer.status() + " " + answer.errorCode(), 1, Integer::sum);
        }
        Map<Integer, Integer> steadyStatuses = new TreeMap<>();
        for (Future<Answer> future : steady) {
          steadyStatuses.merge(future.get(60, TimeUnit.SECONDS).status(), 1, Integer::sum);
        }
        assertEquals(Map.of(200, clients * requestsEach), steadyStatuses);
        assertTrue(hungryAnswers.getOrDefault("503 overloaded", 0) > 0, hungryAnswers.toString());
        assertEquals(
            clients * requestsEach,
            hungryAnswers.getOrDefault("503 overloaded", 0) + hungryAnswers.getOrDefault("200 ", 0),
            "every hungry request is answered, rated or overloaded: " + hungryAnswers);
      } finally {
        pool.shutdownNow();
      }
      String metrics = rater.health().get("/metrics").body();
      assertTrue(metrics.contains("clawrate_model_memory_budget_bytes 6.7108864E7"), metrics);
      assertTrue(metrics.contains("clawrate_model_memory_refusals_total"), metrics);
      assertTrue(metrics.contains("clawrate_model_instances_evicted_total{"), metrics);
      JsonNode hungryModel = rater.health().get("/v1/models").json().at("/models/0");
      assertEquals("hungry", hungryModel.path("name").asText());
      long held = hungryModel.at("/instances/memoryBytes").asLong();
      assertTrue(held > 0 && held <= 32L * 1024 * 1024, "within its share: " + held);
      assertEquals(200, rater.health().get("/healthz").status());
    }
  }

  private static Answer rateAfter(CountDownLatch start, RunningRater rater, String tenant)
      throws InterruptedException {
    start.await();
    return rater.client().rate(tenant, BODY);
  }
}
