package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every status of the rating API (design contract 3), reached over real HTTP, with ratings on
 * worker threads; {@link RatingApiOnNetworkThreadsTest} runs the same on network threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RatingApiTest {

  private static final String API_KEY = "k3y-for-secure-bank";
  private static final String BODY = "{\"applicantId\":\"A-1\",\"age\":40}";

  private Path dir;
  private RunningRater rater;
  private RaterClient client;
  private RaterClient health;

  /** Which threads rate: every test runs once with each policy (see the subclass). */
  String networkThreads() {
    return "never";
  }

  @BeforeAll
  void start() throws java.io.IOException {
    dir = java.nio.file.Files.createTempDirectory("rating-api-");
    new ConfigDir(dir)
        .model("constant", Fixtures.module("constant-a"))
        .model(
            "small-input",
            Fixtures.module("constant-a"),
            new ModelLimits(16, ModelLimits.MAX_TIMEOUT_MILLIS, 64))
        .model("rejects", Fixtures.module("rejects-input"))
        .model("trap", Fixtures.module("trap"))
        .model("loop", Fixtures.module("infinite-loop"), new ModelLimits(16, 25, 65536))
        .model("oob", Fixtures.module("oob-output"))
        .model("non-json", Fixtures.module("non-json"))
        .model("no-rating", Fixtures.module("no-rating"))
        .model(
            "bomb",
            Fixtures.module("memory-bomb"),
            new ModelLimits(32, ModelLimits.MAX_TIMEOUT_MILLIS, 65536))
        .tenant("approver", "constant", 650)
        .tenant("decliner", "constant", 701)
        .tenant("small", "small-input", 1)
        .tenant("rejected", "rejects", 1)
        .tenant("trapper", "trap", 1)
        .tenant("looper", "loop", 1)
        .tenant("oob", "oob", 1)
        .tenant("garbler", "non-json", 1)
        .tenant("no-rating", "no-rating", 1)
        .tenant("bomber", "bomb", 1)
        .tenant(
            "secure-bank",
            "constant",
            650,
            JsonNodeFactory.instance.objectNode(),
            List.of(ModuleDigest.hex(ModuleDigest.of(API_KEY.getBytes(StandardCharsets.UTF_8)))))
        .publish();
    rater = RunningRater.serve(dir, "--rate-on-network-threads", networkThreads());
    client = rater.client();
    health = rater.health();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @AfterAll
  void stop() throws java.io.IOException {
    rater.close();
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(path);
      }
    }
  }

  @Test
  void ratesAndDecidesApprove() {
    Answer answer = client.rate("approver", BODY);
    assertEquals(200, answer.status(), answer.body());
    JsonNode json = answer.json();
    assertEquals("approver", json.get("tenant").asText());
    assertEquals("constant", json.get("model").asText());
    assertEquals(ModuleDigest.of(Fixtures.module("constant-a")), json.get("digest").asText());
    assertEquals("stable", json.get("track").asText());
    assertEquals(700, json.get("rating").asInt());
    assertEquals("approve", json.get("decision").asText());
    assertEquals("a", json.get("result").get("version").asText());
    assertEquals("1", answer.raw().headers().firstValue("X-Clawrate-Revision").orElseThrow());
  }

  @Test
  void declinesBelowTheThreshold() {
    Answer answer = client.rate("decliner", BODY);
    assertEquals(200, answer.status());
    assertEquals("decline", answer.json().get("decision").asText());
  }

  @Test
  void malformedJsonIs400() {
    Answer answer = client.rate("approver", "{\"age\": ");
    assertEquals(400, answer.status());
    assertEquals("bad_request", answer.errorCode());
    assertTrue(
        answer.json().at("/error/message").asText().startsWith("request body is not valid JSON"));
  }

  @Test
  void aBodyThatIsNotAnObjectIs400() {
    assertEquals(400, client.rate("approver", "[1,2,3]").status());
    assertEquals(400, client.rate("approver", "{} {}").status());
  }

  @Test
  void aMissingTenantHeaderIs400() {
    Answer answer = client.rate(null, BODY);
    assertEquals(400, answer.status());
    assertTrue(answer.body().contains("X-Tenant-Id is required"), answer.body());
  }

  @Test
  void aMissingApiKeyIs401WithAChallenge() {
    Answer answer = client.rate("secure-bank", BODY);
    assertEquals(401, answer.status());
    assertEquals("unauthenticated", answer.errorCode());
    assertEquals("Bearer", answer.raw().headers().firstValue("WWW-Authenticate").orElseThrow());
  }

  @Test
  void aWrongApiKeyIs403() {
    Answer answer = client.rate("secure-bank", bytes(BODY), "Authorization", "Bearer wrong-key");
    assertEquals(403, answer.status());
    assertEquals("forbidden", answer.errorCode());
  }

  @Test
  void theRightApiKeyIsAcceptedAsBearerOrHeader() {
    for (String[] header :
        new String[][] {{"Authorization", "Bearer " + API_KEY}, {"X-Api-Key", API_KEY}}) {
      Answer answer = client.rate("secure-bank", bytes(BODY), header[0], header[1]);
      assertEquals(200, answer.status(), answer.body());
    }
  }

  @Test
  void anUnknownTenantIs404() {
    Answer answer = client.rate("nobody", BODY);
    assertEquals(404, answer.status());
    assertEquals("unknown_tenant", answer.errorCode());
  }

  @Test
  void anUnknownPathIs404AndAWrongMethodIs405() {
    assertEquals(404, client.get("/v2/rate").status());
    Answer answer = client.get("/v1/rate");
    assertEquals(405, answer.status());
    assertEquals("method_not_allowed", answer.errorCode());
  }

  @Test
  void theRatingPortServesRatingAloneAndTheHealthPortTheRest() {
    String digest = ModuleDigest.of(Fixtures.module("constant-a"));
    for (String path : List.of("/v1/models", "/metrics", "/healthz", "/readyz")) {
      Answer onRatingPort = client.get(path);
      assertEquals(404, onRatingPort.status(), path);
      assertEquals("not_found", onRatingPort.errorCode(), path);
      assertEquals(List.of("error"), iterable(onRatingPort.json().fieldNames()), path);
      for (String listed : List.of(digest, "approver", "constant", "clawrate_", "revision")) {
        assertFalse(onRatingPort.body().contains(listed), path + " lists " + listed);
      }
      assertEquals(200, health.get(path).status(), path);
    }
    assertTrue(health.get("/v1/models").body().contains(digest));
    assertTrue(health.get("/metrics").body().contains("clawrate_config_revision"));
    Answer rateOnHealthPort = health.rate("approver", BODY);
    assertEquals(404, rateOnHealthPort.status());
    assertEquals("not_found", rateOnHealthPort.errorCode());
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> items = new java.util.ArrayList<>();
    iterator.forEachRemaining(items::add);
    return items;
  }

  @Test
  void aBodyOverTheModelsInputLimitIs413() {
    Answer answer = client.rate("small", "{\"padding\":\"" + "x".repeat(100) + "\"}");
    assertEquals(413, answer.status());
    assertEquals("payload_too_large", answer.errorCode());
  }

  @Test
  void aGzipBombIs413WithoutInflatingIt() {
    // 64 MiB of zeros inside a JSON string compresses to ~64 KiB; the limit is 64 KiB inflated.
    byte[] bomb = new byte[64 * 1024 * 1024];
    java.util.Arrays.fill(bomb, (byte) '0');
    bomb[0] = '"';
    byte[] compressed = RaterClient.gzip(bomb);
    Answer answer = client.rate("approver", compressed, "Content-Encoding", "gzip");
    assertEquals(413, answer.status(), answer.body());
  }

  @Test
  void aGzipRequestAndResponseRoundTrip() {
    Answer answer =
        client.rate(
            "approver",
            RaterClient.gzip(BODY.getBytes(StandardCharsets.UTF_8)),
            "Content-Encoding",
            "gzip",
            "Accept-Encoding",
            "gzip");
    assertEquals(200, answer.status(), answer.body());
    assertEquals(700, answer.json().get("rating").asInt());
    Answer models = health.get("/v1/models", "Accept-Encoding", "gzip");
    assertEquals("gzip", models.raw().headers().firstValue("Content-Encoding").orElseThrow());
    assertTrue(models.json().get("models").isArray());
  }

  @Test
  void gzipRefusedWithQZeroIsNotUsed() {
    Answer answer = health.get("/v1/models", "Accept-Encoding", "gzip;q=0, identity");
    assertTrue(answer.raw().headers().firstValue("Content-Encoding").isEmpty());
  }

  @Test
  void invalidGzipIs400() {
    Answer answer = client.rate("approver", bytes("not gzip at all"), "Content-Encoding", "gzip");
    assertEquals(400, answer.status());
  }

  @Test
  void aWrongMediaTypeIs415() {
    Answer answer = client.rate("approver", bytes(BODY), "Content-Type", "text/plain");
    assertEquals(415, answer.status());
    assertEquals("unsupported_media_type", answer.errorCode());
    Answer encoding = client.rate("approver", bytes(BODY), "Content-Encoding", "br");
    assertEquals(415, encoding.status());
  }

  @Test
  void aJsonContentTypeWithUtf8CharsetIsAccepted() {
    Answer answer =
        client.rate("approver", bytes(BODY), "Content-Type", "application/json; charset=UTF-8");
    assertEquals(200, answer.status());
  }

  @Test
  void aModelRejectionIs422WithTheModelsMessage() {
    Answer answer = client.rate("rejected", BODY);
    assertEquals(422, answer.status());
    assertEquals("model_rejected_input", answer.errorCode());
    assertEquals("applicant is under age", answer.json().at("/error/message").asText());
  }

  @Test
  void aTrapIs500() {
    Answer answer = client.rate("trapper", BODY);
    assertEquals(500, answer.status());
    assertEquals("model_trap", answer.errorCode());
  }

  @Test
  void badOutputsAre500WithAClearMessage() {
    Answer oob = client.rate("oob", BODY);
    assertEquals(500, oob.status());
    assertEquals("model_bad_output", oob.errorCode());
    Answer garbled = client.rate("garbler", BODY);
    assertEquals(500, garbled.status());
    assertTrue(garbled.body().contains("model output is not valid JSON"), garbled.body());
    Answer noRating = client.rate("no-rating", BODY);
    assertEquals(500, noRating.status());
    assertTrue(noRating.body().contains("no numeric \\\"rating\\\""), noRating.body());
  }

  @Test
  void aMemoryBombIs500() {
    assertEquals(500, client.rate("bomber", BODY).status());
  }

  @Test
  void aRunawayModelIs504AndOthersKeepBeingServed() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var loops = new java.util.ArrayList<java.util.concurrent.Future<Answer>>();
      for (int i = 0; i < 4; i++) {
        loops.add(pool.submit(() -> client.rate("looper", BODY)));
      }
      for (int i = 0; i < 50; i++) {
        assertEquals(200, client.rate("approver", BODY).status());
      }
      for (var loop : loops) {
        Answer answer = loop.get();
        assertEquals(504, answer.status());
        assertEquals("model_timeout", answer.errorCode());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void noConfigYetIs503AndNotReady() throws Exception {
    Path empty = java.nio.file.Files.createTempDirectory(dir, "empty");
    try (RunningRater waiting = RunningRater.serve(empty)) {
      Answer answer = waiting.client().rate("approver", BODY);
      assertEquals(503, answer.status());
      assertEquals("no_config", answer.errorCode());
      assertEquals(503, waiting.health().get("/readyz").status());
      assertEquals(200, waiting.health().get("/healthz").status());
    }
  }

  @Test
  void readyOnceASnapshotIsLive() {
    Answer ready = health.get("/readyz");
    assertEquals(200, ready.status());
    assertEquals(1, ready.json().get("revision").asInt());
  }

  @Test
  void modelsListsWhatIsLoaded() {
    // A new module serves from the interpreter until its compiled code is ready.
    JsonNode models =
        dev.clawrate.contract.testing.Await.value(
                "every model runs compiled code",
                () -> health.get("/v1/models"),
                a -> {
                  for (JsonNode model : a.json().get("models")) {
                    if (!model.get("execution").asText().equals("compiled")) {
                      return false;
                    }
                  }
                  return true;
                })
            .json();
    assertEquals(1, models.get("revision").asInt());
    assertEquals("accepted", models.at("/lastReload/outcome").asText());
    JsonNode constant = null;
    for (JsonNode model : models.get("models")) {
      if (model.get("name").asText().equals("constant")) {
        constant = model;
      }
    }
    assertEquals(ModuleDigest.of(Fixtures.module("constant-a")), constant.get("digest").asText());
    assertEquals("compiled", constant.get("execution").asText());
    assertEquals("alloc", constant.at("/exports/0").asText());
  }

  @Test
  void metricsCarryTheContractNamesAndLabels() {
    client.rate("approver", BODY);
    client.rate("nobody", BODY);
    Answer metrics = health.get("/metrics");
    assertEquals(200, metrics.status());
    String text = metrics.body();
    String digest = ModuleDigest.of(Fixtures.module("constant-a"));
    for (String expected :
        new String[] {
          "clawrate_rate_requests_seconds_bucket{model=\"constant\","
              + "outcome=\"ok\",tenant=\"approver\",track=\"stable\",le=\"0.001\"}",
          "clawrate_rate_requests_seconds_count{model=\"\",outcome=\"unknown_tenant\","
              + "tenant=\"_unknown\",track=\"stable\"}",
          "clawrate_rating_value_bucket{model=\"constant\",tenant=\"approver\",track=\"stable\",le=\"700.0\"}",
          "clawrate_rate_decisions_total{decision=\"approve\",model=\"constant\",tenant=\"approver\",track=\"stable\"}",
          "clawrate_config_revision{track=\"stable\"} 1.0",
          "clawrate_config_reloads_total{outcome=\"accepted\",track=\"stable\"}",
          "clawrate_model_instantiations_total{model=\"constant\",track=\"stable\"}",
          "clawrate_model_info{digest=\"" + digest + "\",model=\"constant\",track=\"stable\"} 1",
        }) {
      assertTrue(text.contains(expected), "missing " + expected);
    }
  }

  @Test
  void apiKeysNeverAppearInModelsOrMetrics() {
    String everything = health.get("/v1/models").body() + health.get("/metrics").body();
    assertTrue(!everything.contains(API_KEY));
    assertTrue(everything.contains("\"apiKeyRequired\":true"));
  }
}
