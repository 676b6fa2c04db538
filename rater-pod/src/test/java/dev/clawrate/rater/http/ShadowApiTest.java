package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Shadows over real HTTP: the live model answers, and one shadow thread (a FIFO queue) rates the
 * sampled requests with the candidate and counts how they compare. Each test uses tenants of its
 * own, so counts are exact. A sample is known to be evaluated once a later one, queued behind it,
 * has been.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowApiTest {

  private static final String BODY = "{\"applicantId\":\"A-1\",\"age\":40}";

  private Path dir;
  private RunningRater rater;
  private RaterClient client;
  private RaterClient health;

  @BeforeAll
  void start() throws java.io.IOException {
    dir = Files.createTempDirectory("shadow-api-");
    byte[] a = Fixtures.module("constant-a"); // rating 700
    byte[] b = Fixtures.module("constant-b"); // rating 500
    new ConfigDir(dir)
        .model("scorer", a)
        .model("trap", Fixtures.module("trap"))
        .tenant("agreeing", "scorer", 600)
        .shadow("agreeing", 1, b, 400)
        .tenant("flipping", "scorer", 600)
        .shadow("flipping", 1, b, 600)
        .tenant("trapping", "scorer", 600)
        .shadow("trapping", 1, Fixtures.module("trap"), 600)
        .tenant("refusing", "scorer", 600)
        .shadow("refusing", 1, Fixtures.module("rejects-input"), 600)
        .tenant("valued", "scorer", 600)
        .shadow("valued", 1, b, 400)
        .tenant("plain", "scorer", 600)
        .tenant("broken", "trap", 600)
        .shadow("broken", 1, a, 600)
        .tenant("marker", "scorer", 600)
        .shadow("marker", 1, a, 600)
        .tenant("halved", "scorer", 600)
        .shadow("halved", 0.5, a, 600)
        .tenant("rate-marker", "scorer", 600)
        .shadow("rate-marker", 1, a, 600)
        .publish();
    rater = RunningRater.serve(dir);
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

  @Test
  void agreementsAndFlipsAreCountedWithTheirRatingDelta() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, client.rate("agreeing", BODY).status());
      assertEquals(200, client.rate("flipping", BODY).status());
    }
    awaitScraped(comparisons("agreeing", "agree"), 3);
    awaitScraped(comparisons("flipping", "flip"), 3);
    assertEquals(0, scraped(comparisons("agreeing", "flip")));
    assertEquals(0, scraped(comparisons("agreeing", "candidate_error")));
    assertEquals(0, scraped(comparisons("flipping", "agree")));
    for (String tenant : List.of("agreeing", "flipping")) {
      String labels = "{model=\"scorer\",tenant=\"" + tenant + "\"}";
      assertEquals(3, scraped("clawrate_shadow_rating_delta_count" + labels));
      assertEquals(600, scraped("clawrate_shadow_rating_delta_sum" + labels), "|500 - 700| x 3");
      assertEquals(2100, scraped(value("_sum", tenant, "live")));
      assertEquals(1500, scraped(value("_sum", tenant, "candidate")));
    }
  }

  @Test
  void shadowRatingValuesUseTheBucketsOfTheLiveRatingValue() {
    assertEquals(200, client.rate("valued", BODY).status());
    awaitScraped(value("_count", "valued", "candidate"), 1);
    String text = health.get("/metrics").body();
    TreeSet<Double> live =
        bounds(
            text,
            "clawrate_rating_value_bucket{model=\"scorer\",tenant=\"valued\",track=\"stable\"");
    TreeSet<Double> candidate =
        bounds(
            text,
            "clawrate_shadow_rating_value_bucket{model=\"scorer\",tenant=\"valued\",version=\"candidate\"");
    TreeSet<Double> shadowLive =
        bounds(
            text,
            "clawrate_shadow_rating_value_bucket{model=\"scorer\",tenant=\"valued\",version=\"live\"");
    assertTrue(live.size() > 10, text);
    assertEquals(live, candidate);
    assertEquals(live, shadowLive);
    String labels = "{model=\"scorer\",tenant=\"valued\",version=\"candidate\",le=";
    assertEquals(0, scraped("clawrate_shadow_rating_value_bucket" + labels + "\"450.0\"}"));
    assertEquals(1, scraped("clawrate_shadow_rating_value_bucket" + labels + "\"500.0\"}"));
  }

  @Test
  void aCandidateThatFailsCountsAsAnErrorAndChangesNoLiveAnswer() {
    String plain = client.rate("plain", BODY).body();
    int requests = 10;
    for (int i = 0; i < requests; i++) {
      for (String tenant : List.of("trapping", "refusing")) {
        Answer answer = client.rate(tenant, BODY);
        assertEquals(200, answer.status(), answer.body());
        assertEquals(plain.replace("\"plain\"", "\"" + tenant + "\""), answer.body());
        assertTrue(answer.raw().headers().firstValue("X-Clawrate-Fallback").isEmpty());
      }
    }
    for (String tenant : List.of("trapping", "refusing")) {
      awaitScraped(comparisons(tenant, "candidate_error"), requests);
      assertEquals(0, scraped(comparisons(tenant, "agree")));
      assertEquals(0, scraped(comparisons(tenant, "flip")));
      assertEquals(
          0,
          scraped(
              "clawrate_shadow_rating_delta_count{model=\"scorer\",tenant=\"" + tenant + "\"}"));
      String ok =
          "clawrate_rate_requests_seconds_count{model=\"scorer\",outcome=\"ok\",tenant=\""
              + tenant
              + "\",track=\"stable\"}";
      assertEquals(requests, scraped(ok));
    }
    String text = health.get("/metrics").body();
    assertFalse(
        Pattern.compile(
                "clawrate_rate_requests_seconds_count\\{[^}]*outcome=\"(?!ok\")[^}]*tenant=\"trapping\"")
            .matcher(text)
            .find(),
        "only ok requests for trapping");
    assertFalse(text.contains("clawrate_rate_fallbacks_total{"), "no fallback answered");
    assertFalse(text.contains("model=\"candidate\""), "the candidate is no live model");
  }

  @Test
  void whatTheLiveModelDidNotRateIsNotCompared() {
    assertEquals(400, client.rate("marker", "not json").status());
    for (int i = 0; i < 3; i++) {
      assertEquals(500, client.rate("broken", BODY).status());
    }
    assertEquals(200, client.rate("marker", BODY).status());
    // Queued behind anything the requests above could have queued.
    awaitScraped(comparisons("marker", "agree"), 1);
    assertEquals(1, scraped(comparisons("marker", "agree")));
    for (String result : List.of("agree", "flip", "candidate_error")) {
      String series = comparisons("trap", "broken", result);
      assertTrue(health.get("/metrics").body().contains(series + " 0.0"), series);
    }
  }

  @Test
  void aSampleRateSamplesThatShareOfRequests() {
    int requests = 200;
    for (int i = 0; i < requests; i++) {
      assertEquals(200, client.rate("halved", BODY).status());
    }
    assertEquals(200, client.rate("rate-marker", BODY).status());
    awaitScraped(comparisons("rate-marker", "agree"), 1);
    double sampled =
        scraped(comparisons("halved", "agree"))
            + scraped(
                "clawrate_shadow_skipped_total{model=\"scorer\",reason=\"queue_full\",tenant=\"halved\"}");
    // Binomial(200, 0.5): outside 50..150 once in 10^12 runs.
    assertTrue(sampled >= 50 && sampled <= 150, "sampled " + sampled + " of " + requests);
  }

  @Test
  void modelsListsEveryShadow() {
    JsonNode models = health.get("/v1/models").json();
    List<String> tenants = new ArrayList<>();
    for (JsonNode shadow : models.get("shadows")) {
      tenants.add(shadow.get("tenant").asText());
      assertTrue(shadow.get("active").asBoolean(), shadow.toString());
      assertEquals("candidate", shadow.get("model").asText());
      if (shadow.get("tenant").asText().equals("halved")) {
        assertEquals(0.5, shadow.get("sampleRate").asDouble());
        assertEquals(ModuleDigest.of(Fixtures.module("constant-a")), shadow.get("digest").asText());
        assertEquals(600, shadow.get("threshold").asDouble());
      }
    }
    assertEquals(
        List.of(
            "agreeing",
            "broken",
            "flipping",
            "halved",
            "marker",
            "rate-marker",
            "refusing",
            "trapping",
            "valued"),
        tenants);
    for (JsonNode model : models.get("models")) {
      assertFalse(model.get("name").asText().equals("candidate"), "listed as a live model");
    }
  }

  private static String comparisons(String tenant, String result) {
    return comparisons("scorer", tenant, result);
  }

  private static String comparisons(String model, String tenant, String result) {
    return "clawrate_shadow_comparisons_total{model=\""
        + model
        + "\",result=\""
        + result
        + "\",tenant=\""
        + tenant
        + "\"}";
  }

  private static String value(String suffix, String tenant, String version) {
    return "clawrate_shadow_rating_value"
        + suffix
        + "{model=\"scorer\",tenant=\""
        + tenant
        + "\",version=\""
        + version
        + "\"}";
  }

  private void awaitScraped(String sample, double atLeast) {
    Await.value(sample + " reaches " + atLeast, () -> scraped(sample), v -> v >= atLeast);
  }

  /** A sample's value in /metrics, 0 while it is absent. */
  private double scraped(String sample) {
    String text = health.get("/metrics").body();
    Matcher value = Pattern.compile(Pattern.quote(sample) + " (\\S+)").matcher(text);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  /** The {@code le} bounds of the bucket lines of a series (its labels up to {@code le}). */
  private static TreeSet<Double> bounds(String text, String series) {
    Matcher line = Pattern.compile(Pattern.quote(series) + ",le=\"([^\"]+)\"\\}").matcher(text);
    TreeSet<Double> bounds = new TreeSet<>();
    while (line.find()) {
      bounds.add(Double.parseDouble(line.group(1).replace("+Inf", "Infinity")));
    }
    return bounds;
  }
}
