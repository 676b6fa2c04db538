package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A model that has proven quick runs on the network threads until one of its calls does not: then
 * that call is stopped at the network threads' bound, rated again on a worker, and the model sent
 * to the workers, so that the probes and other tenants sharing the network threads are answered
 * while it runs to its own time limit.
 */
class NetworkThreadDemotionTest {

  private static final String TENANT = "sometimes";
  // What the rater wraps around the body (see TenantRoute): the model hangs on a multiple of 4.
  private static final int ABI_OVERHEAD =
      ("{\"tenant\":\"" + TENANT + "\",\"parameters\":{},\"input\":" + "}").length();

  @Test
  void aModelThatStartsHangingIsMovedOffTheNetworkThreads() throws Exception {
    Path dir = Files.createTempDirectory("network-demotion-");
    new ConfigDir(dir)
        .model("sometimes", Fixtures.module("hangs-sometimes"), new ModelLimits(16, 4000, 65536))
        .model("calm", Fixtures.module("constant-a"))
        .tenant(TENANT, "sometimes", 500)
        .tenant("calm", "calm", 500)
        .publish();
    ExecutorService clients = Executors.newFixedThreadPool(2);
    // A bound far above a quick call's time, so a busy host's pauses demote nothing here.
    try (RunningRater rater =
        RunningRater.serve(dir, "--io-threads", "2", "--network-call-limit-ms", "200")) {
      RaterClient client = rater.client();
      String quick = bodyOfAbiLength(203);
      for (int i = 0; i < 1_100; i++) {
        assertEquals(200, client.rate(TENANT, quick).status());
      }
      Await.until(
          "the model runs on the network threads",
          () ->
              client.rate(TENANT, quick).status() == 200
                  && model(rater, "sometimes").path("runsOnNetworkThreads").asBoolean());

      // No longer than the inputs it rated quickly, so only its time on a network thread tells.
      String hanging = bodyOfAbiLength(200);
      List<Future<Answer>> hangs =
          List.of(
              clients.submit(() -> client.rate(TENANT, hanging)),
              clients.submit(() -> client.rate(TENANT, hanging)));
      Await.until(
          "the model is sent to the workers",
          () -> model(rater, "sometimes").path("networkThreadDemotions").asLong() >= 1);
      assertFalse(model(rater, "sometimes").path("runsOnNetworkThreads").asBoolean());
      assertEquals(200, rater.health().get("/healthz").status());
      for (int i = 0; i < 5; i++) {
        Answer calm = client.rate("calm", "{}");
        assertEquals(200, calm.status(), calm.body());
      }
      assertTrue(
          hangs.stream().noneMatch(Future::isDone),
          "both hanging calls still run, on workers, while the others are answered");
      for (Future<Answer> hang : hangs) {
        Answer answer = hang.get();
        assertEquals(504, answer.status(), answer.body());
        assertEquals("model_timeout", answer.errorCode());
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static String bodyOfAbiLength(int abiLength) {
    String body = "{\"pad\":\"" + "x".repeat(abiLength - ABI_OVERHEAD - 10) + "\"}";
    assertEquals(abiLength, ABI_OVERHEAD + body.getBytes(StandardCharsets.UTF_8).length);
    return body;
  }

  private static JsonNode model(RunningRater rater, String name) {
    for (JsonNode model : rater.health().get("/v1/models").json().path("models")) {
      if (model.path("name").asText().equals(name)) {
        return model;
      }
    }
    throw new AssertionError("no model " + name);
  }
}
