package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A looping model hammered by many concurrent clients fills its share of the worker threads, and
 * borrows idle ones only while one tenant's share stays idle: the requests beyond that and its
 * queue are answered 503 overloaded with Retry-After, while other tenants keep being rated, and a
 * tenant of the same model with a fixed decision is answered by it.
 */
class BulkheadApiTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final int CLIENTS = 20;
  // Few workers, so that the loops the flood may run stay few: each burns CPU until its limit,
  // and a busy machine must still finish them within the client's timeout.
  private static final int WORKERS = 4;
  private static final int SHARE = 1;

  @Test
  void aFloodedModelIsAnsweredOverloadedWhileOtherTenantsAreRated() throws Exception {
    Path dir = Files.createTempDirectory("bulkhead-api-");
    new ConfigDir(dir)
        .model("loop", Fixtures.module("infinite-loop"), new ModelLimits(16, 2000, 65536))
        .model("calm", Fixtures.module("constant-a"))
        .tenant("looper", "loop", 500)
        .tenant("decider", "loop", 500, new TenantFallback(null, "refer"))
        .tenant("backed", "loop", 500, new TenantFallback("calm", null))
        .tenant("calm", "calm", 500)
        .publish();
    // 4 workers: the loop model and each tenant may hold 1 of them, the flood borrows all but one
    // tenant's share of the rest (3 in all), and 2 more may wait.
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (RunningRater rater =
        RunningRater.serve(
            dir,
            "--worker-threads",
            "" + WORKERS,
            "--model-worker-share",
            "13",
            "--tenant-worker-share",
            "13",
            "--worker-queue",
            "2",
            "--worker-queue-wait-ms",
            "100")) {
      RaterClient client = rater.client();
      List<Future<Answer>> flood = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        flood.add(clients.submit(() -> client.rate("looper", BODY)));
      }
      // Once the flood beyond what it may hold is answered, the loop model holds its workers with
      // calls that run for seconds: every answer from here on is given while they are taken.
      Await.until(
          "the flood beyond what the loop model may hold is answered",
          () -> flood.stream().filter(Future::isDone).count() >= CLIENTS - (WORKERS - SHARE));
      for (int i = 0; i < 10; i++) {
        Answer calm = client.rate("calm", BODY);
        assertEquals(200, calm.status(), calm.body());
      }
      Answer decided = client.rate("decider", BODY);
      assertEquals(200, decided.status(), decided.body());
      assertEquals("refer", decided.json().path("decision").asText(), decided.body());
      assertEquals(
          "model_overloaded",
          decided.raw().headers().firstValue("X-Clawrate-Fallback").orElse(""),
          decided.body());
      Answer backed = client.rate("backed", BODY);
      assertEquals(200, backed.status(), backed.body());
      assertEquals("calm", backed.json().path("model").asText(), backed.body());
      assertEquals("model_overloaded", backed.json().path("fallbackReason").asText());

      int overloaded = 0;
      for (Future<Answer> future : flood) {
        Answer answer = future.get();
        if (answer.status() == 503) {
          assertEquals("overloaded", answer.errorCode(), answer.body());
          assertEquals("1", answer.raw().headers().firstValue("Retry-After").orElse(""));
          overloaded++;
        } else {
          assertEquals("model_timeout", answer.errorCode(), answer.body());
        }
      }
      assertTrue(overloaded >= CLIENTS - (WORKERS - SHARE), overloaded + " overloaded answers");
      String metrics = rater.health().get("/metrics").body();
      Matcher counted =
          Pattern.compile(
                  "clawrate_rate_requests_seconds_count\\{[^}]*outcome=\"overloaded\","
                      + "tenant=\"looper\"[^}]*} (\\S+)")
              .matcher(metrics);
      assertTrue(counted.find(), metrics);
      assertEquals(overloaded, Double.parseDouble(counted.group(1)));
    } finally {
      clients.shutdownNow();
    }
  }
}
