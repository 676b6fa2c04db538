package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shadows that cannot load, that end, and that cannot keep up, each on a rater of its own. */
class ShadowLifecycleTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final String MISSING = "sha256:" + "0f".repeat(32);

  @TempDir Path dir;

  @Test
  void aShadowThatCannotLoadLeavesTheSnapshotLiveWithoutItAndSaysWhy() {
    new ConfigDir(dir)
        .model("scorer", Fixtures.module("constant-a"))
        .tenant("missing", "scorer", 600)
        .shadowWithDigest("missing", 1, MISSING, Fixtures.UNHURRIED, 600)
        .tenant("invalid", "scorer", 600)
        .shadow("invalid", 1, Fixtures.module("wasi-import"), 600)
        .publish();
    try (RunningRater rater = RunningRater.serve(dir)) {
      rater.awaitRevision(1);
      for (String tenant : new String[] {"missing", "invalid"}) {
        Answer answer = rater.client().rate(tenant, BODY);
        assertEquals(200, answer.status(), answer.body());
        assertEquals(700, answer.json().get("rating").asInt());
      }
      JsonNode models = rater.health().get("/v1/models").json();
      assertEquals("accepted", models.at("/lastReload/outcome").asText());
      JsonNode invalid = models.at("/shadows/0");
      assertEquals("invalid", invalid.get("tenant").asText());
      assertFalse(invalid.get("active").asBoolean());
      assertTrue(
          invalid.get("error").asText().contains("may import only env.abort"), invalid.toString());
      JsonNode missing = models.at("/shadows/1");
      assertEquals("missing", missing.get("tenant").asText());
      assertEquals(MISSING, missing.get("digest").asText());
      assertFalse(missing.get("active").asBoolean());
      assertTrue(missing.get("error").asText().contains("not found"), missing.toString());

      String metrics = rater.health().get("/metrics").body();
      assertTrue(
          metrics.contains("clawrate_shadow_active{model=\"scorer\",tenant=\"missing\"} 0.0"),
          metrics);
      assertTrue(
          metrics.contains("clawrate_shadow_active{model=\"scorer\",tenant=\"invalid\"} 0.0"),
          metrics);
      assertFalse(metrics.contains("clawrate_shadow_comparisons_total{"), metrics);
    }
  }

  @Test
  void aShadowThatEndsHasItsSeriesRemovedAndOneThatStaysKeepsCounting() {
    byte[] a = Fixtures.module("constant-a");
    ConfigDir config =
        new ConfigDir(dir)
            .model("scorer", a)
            .tenant("ending", "scorer", 600)
            .shadow("ending", 1, Fixtures.module("constant-b"), 600)
            .tenant("staying", "scorer", 600)
            .shadow("staying", 1, a, 600)
            .publish();
    try (RunningRater rater = RunningRater.serve(dir)) {
      assertEquals(200, rater.client().rate("ending", BODY).status());
      assertEquals(200, rater.client().rate("staying", BODY).status());
      awaitScraped(rater, comparisons("ending", "flip"), 1);
      awaitScraped(rater, comparisons("staying", "agree"), 1);

      config.removeShadow("ending").publish();
      rater.awaitRevision(2);
      // The revision shows before the reload's listeners have run: the series go soon after, and
      // a shadow that kept them (or a queued sample that brought them back) times out here.
      Await.until("the ended shadow's series are removed", () -> !hasSeriesOf(rater, "ending"));
      assertEquals(1, scraped(rater, comparisons("staying", "agree")), "kept across the swap");
      assertEquals(200, rater.client().rate("ending", BODY).status());
      assertEquals(200, rater.client().rate("staying", BODY).status());
      awaitScraped(rater, comparisons("staying", "agree"), 2);
      assertFalse(hasSeriesOf(rater, "ending"), "a tenant without a shadow samples nothing");
      JsonNode shadows = rater.health().get("/v1/models").json().get("shadows");
      assertEquals(1, shadows.size());
      assertEquals("staying", shadows.at("/0/tenant").asText());
    }
  }

  @Test
  void aSampleFindingTheQueueFullIsSkippedAndCountedAndTheLiveAnswerStands() {
    new ConfigDir(dir)
        .model("scorer", Fixtures.module("constant-a"))
        .tenant("busy", "scorer", 600)
        // Each sample holds the one shadow thread for up to the longest time limit.
        .shadow(
            "busy",
            1,
            Fixtures.module("infinite-loop"),
            new ModelLimits(16, ModelLimits.MAX_TIMEOUT_MILLIS, 65536),
            600)
        .publish();
    try (RunningRater rater =
        RunningRater.serve(dir, "--shadow-threads", "1", "--shadow-queue", "1")) {
      String skipped =
          "clawrate_shadow_skipped_total{model=\"scorer\",reason=\"queue_full\",tenant=\"busy\"}";
      Await.until(
          "a sample is skipped",
          () -> {
            Answer answer = rater.client().rate("busy", BODY);
            assertEquals(200, answer.status(), answer.body());
            assertEquals(700, answer.json().get("rating").asInt());
            return scraped(rater, skipped) >= 1;
          });
    }
  }

  private static boolean hasSeriesOf(RunningRater rater, String tenant) {
    String metrics = rater.health().get("/metrics").body();
    return Pattern.compile("clawrate_shadow_\\w+\\{[^}]*tenant=\"" + tenant + "\"")
        .matcher(metrics)
        .find();
  }

  private static String comparisons(String tenant, String result) {
    return "clawrate_shadow_comparisons_total{model=\"scorer\",result=\""
        + result
        + "\",tenant=\""
        + tenant
        + "\"}";
  }

  private static void awaitScraped(RunningRater rater, String sample, double atLeast) {
    Await.value(sample + " reaches " + atLeast, () -> scraped(rater, sample), v -> v >= atLeast);
  }

  /** A sample's value in /metrics, 0 while it is absent. */
  private static double scraped(RunningRater rater, String sample) {
    String text = rater.health().get("/metrics").body();
    Matcher value = Pattern.compile(Pattern.quote(sample) + " (\\S+)").matcher(text);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }
}
