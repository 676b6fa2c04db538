package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new module is served by the interpreter while it compiles, too slowly for its time limit under
 * load; readiness and hot reloads must never hand traffic to that phase.
 */
class TieredStartTest {

  private static final int CLIENTS = 32;
  private static final int RATINGS_PER_CLIENT = 50;

  @TempDir Path dir;

  @Test
  void fromReadinessOnConcurrentRatingsOfTheSampleModelAllSucceed() throws Exception {
    byte[] request =
        Fixtures.read(Fixtures.examplesDir().resolve("requests").resolve("applicant.json"));
    try (RunningRater rater = RunningRater.serve(Fixtures.examplesDir().resolve("config"))) {
      Await.value(
          "/readyz answers 200", () -> rater.health().get("/readyz"), a -> a.status() == 200);

      for (JsonNode model : rater.health().get("/v1/models").json().get("models")) {
        assertEquals("compiled", model.get("execution").asText(), model.toString());
      }
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          results.add(clients.submit(ratings(rater, request)));
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> result : results) {
          failures.addAll(result.get());
        }
        assertEquals(List.of(), failures);
      } finally {
        clients.shutdownNow();
      }
    }
  }

  private static Callable<List<String>> ratings(RunningRater rater, byte[] request) {
    return () -> {
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < RATINGS_PER_CLIENT; i++) {
        Answer answer = rater.client().rate("acme-bank", request);
        if (answer.status() != 200) {
          failures.add(answer.status() + " " + answer.body());
        }
      }
      return failures;
    };
  }

  @Test
  void aReloadedModelGoesLiveOnItsCompiledCode() {
    ConfigDir config =
        new ConfigDir(dir)
            .model("scorer", Fixtures.module("constant-a"))
            .tenant("acme-bank", "scorer", 600);
    config.publish();
    try (RunningRater rater = RunningRater.serve(dir)) {
      config.model("scorer", Fixtures.module("constant-b")).publish();

      LoadedSnapshot reloaded =
          Await.value(
              "revision 2 is live", () -> rater.rater().live().current(), s -> s.revision() == 2);

      ModelRuntime scorer = reloaded.models().get("scorer");
      assertEquals(ExecutionMode.COMPILED, scorer.model().mode(), "the first the swap shows");
    }
  }
}
