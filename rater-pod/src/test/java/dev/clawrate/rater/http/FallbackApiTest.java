package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tenants' fallbacks over real HTTP (contract 3), with ratings on worker threads; {@link
 * FallbackApiOnNetworkThreadsTest} runs the same on network threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FallbackApiTest {

  private static final String BODY = "{\"applicantId\":\"A-1\",\"age\":40}";
  private static final TenantFallback BACKUP = new TenantFallback("backup", null);

  private Path dir;
  private RunningRater rater;
  private RaterClient client;
  private RaterClient health;

  String networkThreads() {
    return "never";
  }

  @BeforeAll
  void start() throws java.io.IOException {
    dir = Files.createTempDirectory("fallback-api-");
    new ConfigDir(dir)
        .model("backup", Fixtures.module("constant-b"))
        .model(
            "small-backup",
            Fixtures.module("constant-b"),
            new ModelLimits(16, ModelLimits.MAX_TIMEOUT_MILLIS, 64))
        .model("trap", Fixtures.module("trap"))
        .model("aborts", Fixtures.module("aborts"))
        .model("loop", Fixtures.module("infinite-loop"), new ModelLimits(16, 25, 65536))
        .model("no-rating", Fixtures.module("no-rating"))
        .model("non-json", Fixtures.module("non-json"))
        .model("rejects", Fixtures.module("rejects-input"))
        .tenant("trapper", "trap", 400, BACKUP)
        .tenant("counted", "trap", 400, BACKUP)
        .tenant("looper", "loop", 600, BACKUP)
        .tenant("no-rating", "no-rating", 600, BACKUP)
        .tenant("garbler", "non-json", 600, BACKUP)
        .tenant("both-trap", "trap", 1, new TenantFallback("aborts", "refer"))
        .tenant("decider", "trap", 1, new TenantFallback(null, "manual_review"))
        .tenant("backup-rejects", "trap", 1, new TenantFallback("rejects", null))
        .tenant("small", "trap", 1, new TenantFallback("small-backup", "refer"))
        .tenant("rejected", "rejects", 1, new TenantFallback("backup", "approve"))
        .tenant("steady", "backup", 1, new TenantFallback(null, "refer"))
        .tenant("plain-trapper", "trap", 1)
        .tenant("plain-looper", "loop", 1)
        .publish();
    rater = RunningRater.serve(dir, "--rate-on-network-threads", networkThreads());
    client = rater.client();
    health = rater.health();
  }

  @AfterAll
  void stop() throws java.io.IOException {
    rater.close();
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static Optional<String> fallbackHeader(Answer answer) {
    return answer.raw().headers().firstValue("X-Clawrate-Fallback");
  }

  /** A 200 the fallback model "backup" (constant-b: rating 500, version b) gave. */
  private static void assertBackupAnswered(Answer answer, String tenant, String reason) {
    assertEquals(200, answer.status(), answer.body());
    JsonNode json = answer.json();
    assertEquals(tenant, json.get("tenant").asText());
    assertEquals("backup", json.get("model").asText());
    assertEquals(ModuleDigest.of(Fixtures.module("constant-b")), json.get("digest").asText());
    assertEquals("stable", json.get("track").asText());
    assertEquals(500, json.get("rating").asInt());
    assertEquals("b", json.get("result").get("version").asText());
    assertTrue(json.get("fallback").asBoolean(), answer.body());
    assertEquals(reason, json.get("fallbackReason").asText());
    assertEquals(reason, fallbackHeader(answer).orElseThrow());
  }

  @Test
  void aTrapIsAnsweredByTheFallbackModelWithTheTenantsThreshold() {
    Answer answer = client.rate("trapper", BODY);
    assertBackupAnswered(answer, "trapper", "model_trap");
    assertEquals("approve", answer.json().get("decision").asText(), "500 is above 400");
    assertEquals("1", answer.raw().headers().firstValue("X-Clawrate-Revision").orElseThrow());
  }

  @Test
  void aTimeoutIsAnsweredByTheFallbackModel() {
    Answer answer = client.rate("looper", BODY);
    assertBackupAnswered(answer, "looper", "model_timeout");
    assertEquals("decline", answer.json().get("decision").asText(), "500 is below 600");
  }

  @Test
  void aBadOutputIsAnsweredByTheFallbackModel() {
    assertBackupAnswered(client.rate("no-rating", BODY), "no-rating", "model_bad_output");
    assertBackupAnswered(client.rate("garbler", BODY), "garbler", "model_bad_output");
  }

  @Test
  void whenTheFallbackModelFailsTooTheFixedDecisionAnswersWithNoRating() {
    Answer answer = client.rate("both-trap", BODY);
    assertEquals(200, answer.status(), answer.body());
    JsonNode json = answer.json();
    assertEquals("trap", json.get("model").asText(), "the tenant's own model");
    assertEquals(ModuleDigest.of(Fixtures.module("trap")), json.get("digest").asText());
    assertTrue(json.get("rating").isNull(), answer.body());
    assertEquals("refer", json.get("decision").asText());
    assertEquals(0, json.get("result").size());
    assertTrue(json.get("fallback").asBoolean());
    assertEquals("model_trap", json.get("fallbackReason").asText());
    assertEquals("model_trap", fallbackHeader(answer).orElseThrow());
  }

  @Test
  void aFixedDecisionAloneAnswers() {
    Answer answer = client.rate("decider", BODY);
    assertEquals(200, answer.status(), answer.body());
    assertEquals("manual_review", answer.json().get("decision").asText());
    assertTrue(answer.json().get("rating").isNull());
  }

  @Test
  void aRejectionByTheFallbackModelLeavesTheTenantsModelsError() {
    Answer answer = client.rate("backup-rejects", BODY);
    assertEquals(500, answer.status(), answer.body());
    assertEquals("model_trap", answer.errorCode());
    assertTrue(fallbackHeader(answer).isEmpty());
  }

  @Test
  void aBodyOverTheFallbackModelsInputLimitIsNotGivenToIt() {
    Answer small = client.rate("small", BODY);
    assertEquals("small-backup", small.json().get("model").asText(), small.body());
    Answer large = client.rate("small", "{\"padding\":\"" + "x".repeat(100) + "\"}");
    assertEquals(200, large.status(), large.body());
    assertEquals("refer", large.json().get("decision").asText(), large.body());
  }

  @Test
  void aModelRejectionIs422AndNeverFallsBack() {
    Answer answer = client.rate("rejected", BODY);
    assertEquals(422, answer.status(), answer.body());
    assertEquals("model_rejected_input", answer.errorCode());
    assertEquals("applicant is under age", answer.json().at("/error/message").asText());
    assertTrue(fallbackHeader(answer).isEmpty());
  }

  @Test
  void aCallersMistakeNeverFallsBack() {
    Answer answer = client.rate("trapper", "{\"age\": ");
    assertEquals(400, answer.status(), answer.body());
    assertTrue(fallbackHeader(answer).isEmpty());
  }

  @Test
  void withoutAFallbackTheErrorIsUnchanged() {
    Answer trap = client.rate("plain-trapper", BODY);
    assertEquals(500, trap.status());
    assertEquals("model_trap", trap.errorCode());
    assertTrue(trap.json().at("/error/message").asText().startsWith("model trapped"));
    assertTrue(fallbackHeader(trap).isEmpty());
    Answer loop = client.rate("plain-looper", BODY);
    assertEquals(504, loop.status());
    assertEquals("model_timeout", loop.errorCode());
    assertTrue(fallbackHeader(loop).isEmpty());
  }

  @Test
  void aTenantsOwnModelsAnswerSaysNothingOfFallbacks() {
    Answer answer = client.rate("steady", BODY);
    assertEquals(200, answer.status(), answer.body());
    assertEquals("backup", answer.json().get("model").asText());
    assertFalse(answer.json().has("fallback"), answer.body());
    assertFalse(answer.json().has("fallbackReason"), answer.body());
    assertTrue(fallbackHeader(answer).isEmpty());
  }

  @Test
  void modelsListsEachTenantsFallback() {
    JsonNode tenants = health.get("/v1/models").json().get("tenants");
    for (JsonNode tenant : tenants) {
      switch (tenant.get("tenant").asText()) {
        case "both-trap" -> {
          assertEquals("aborts", tenant.at("/fallback/model").asText());
          assertEquals("refer", tenant.at("/fallback/decision").asText());
        }
        case "decider" -> assertFalse(tenant.get("fallback").has("model"), tenant.toString());
        case "plain-trapper" -> assertFalse(tenant.has("fallback"), tenant.toString());
        default -> {}
      }
    }
  }

  @Test
  void fallbacksAreCountedByReasonAndAnswerAndTheirRequestsAsFallback() {
    String counter =
        "clawrate_rate_fallbacks_total{answer=\"fallback_model\",model=\"trap\","
            + "reason=\"model_trap\",tenant=\"counted\",track=\"stable\"}";
    String requests =
        "clawrate_rate_requests_seconds_count{model=\"trap\",outcome=\"fallback\","
            + "tenant=\"counted\",track=\"stable\"}";
    double before = scraped(counter);
    assertEquals(200, client.rate("counted", BODY).status());
    assertEquals(200, client.rate("counted", BODY).status());
    assertEquals(before + 2, scraped(counter));
    assertEquals(before + 2, scraped(requests));
  }

  /** A sample's value in /metrics, 0 while it is absent. */
  private double scraped(String sample) {
    String text = health.get("/metrics").body();
    Matcher value = Pattern.compile(Pattern.quote(sample) + " (\\S+)").matcher(text);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }
}
