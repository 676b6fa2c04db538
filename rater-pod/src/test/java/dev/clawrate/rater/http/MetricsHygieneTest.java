package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a real rater's /metrics says: described, bounded, and in the API's words. */
class MetricsHygieneTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+)(?: (.*))?$");

  private ConfigDir config;
  private RunningRater rater;
  private RaterClient client;
  private RaterClient health;

  @BeforeEach
  void start() throws IOException {
    Path dir = Files.createTempDirectory("metrics-hygiene-");
    config =
        new ConfigDir(dir)
            .model("constant", Fixtures.module("constant-a"))
            .model("backup", Fixtures.module("constant-b"))
            .model("trap", Fixtures.module("trap"))
            .model("rejects", Fixtures.module("rejects-input"))
            .model("small", Fixtures.module("constant-a"), new ModelLimits(16, 1000, 16))
            .tenant("stays", "constant", 500)
            .tenant("leaves", "backup", 500)
            .tenant("trapper", "trap", 1)
            .tenant("rescued", "trap", 1, new TenantFallback("backup", null))
            .tenant("rejected", "rejects", 1)
            .tenant("tiny", "small", 1)
            .publish();
    rater = RunningRater.serve(dir);
    client = rater.client();
    health = rater.health();
  }

  @AfterEach
  void stop() {
    rater.close();
  }

  @Test
  void everyMetricFamilyHasAHelpText() {
    client.rate("stays", BODY);
    client.rate("rescued", BODY);
    client.rate("trapper", BODY);
    client.rate("nobody", BODY);
    config.publish();
    rater.awaitRevision(2);
    // The JVM's meters are bound after start-up, off the path to ready.
    String text =
        Await.value(
            "JVM metrics are bound",
            () -> health.get("/metrics").body(),
            body -> body.contains("jvm_memory_used_bytes"));
    List<String> empty = new ArrayList<>();
    int families = 0;
    for (String line : text.split("\n")) {
      Matcher help = HELP.matcher(line);
      if (help.matches()) {
        families++;
        if (help.group(2) == null || help.group(2).isBlank()) {
          empty.add(help.group(1));
        }
      }
    }
    assertTrue(families > 20, "only " + families + " families in\n" + text);
    assertTrue(text.contains("# HELP clawrate_config_revision "), text);
    assertEquals(List.of(), empty, "families without a HELP text");
  }

  @Test
  void aTenantThatLeavesTakesItsSeriesAlong() {
    assertEquals(200, client.rate("leaves", BODY).status());
    assertEquals(200, client.rate("stays", BODY).status());
    assertTrue(tenantSeries("leaves") > 0, health.get("/metrics").body());

    config.removeTenant("leaves").publish();
    rater.awaitRevision(2);

    Await.until("the departed tenant's series are gone", () -> tenantSeries("leaves") == 0);
    assertTrue(tenantSeries("stays") > 0);
    assertEquals(404, client.rate("leaves", BODY).status());
    assertEquals(0, tenantSeries("leaves"), "an unknown tenant is counted as _unknown");
  }

  @Test
  void aModelThatLeavesOrChangesDigestTakesItsSeriesAlong() {
    String before = ModuleDigest.of(Fixtures.module("constant-a"));
    String after = ModuleDigest.of(Fixtures.module("constant-c"));
    String text = health.get("/metrics").body();
    assertTrue(text.contains(info("constant", before)), text);
    assertTrue(text.contains("model=\"backup\""), text);

    config
        .model("constant", Fixtures.module("constant-c"))
        .removeTenant("leaves")
        .removeTenant("rescued")
        .removeModel("backup")
        .publish();
    rater.awaitRevision(2);

    String swapped =
        Await.value(
            "the new digest is the model's info",
            () -> health.get("/metrics").body(),
            body -> body.contains(info("constant", after)));
    assertFalse(swapped.contains(info("constant", before)), swapped);
    assertFalse(swapped.contains("model=\"backup\""), swapped);
    assertFalse(
        Pattern.compile("^clawrate_rate_requests_seconds\\S*\\{[^}]*digest=", Pattern.MULTILINE)
            .matcher(swapped)
            .find(),
        "no request series carries a digest");
  }

  @Test
  void theOutcomeLabelOfAnErrorIsItsErrorCode() {
    List<Answer> errors =
        List.of(
            client.rate("stays", "not json"),
            client.rate("nobody", BODY),
            client.rate(
                "stays", BODY.getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain"),
            client.rate("tiny", "{\"applicantId\":\"a long enough body\"}"),
            client.rate("rejected", BODY),
            client.rate("trapper", BODY));
    List<String> codes = new ArrayList<>();
    for (Answer error : errors) {
      assertTrue(error.status() >= 400, error.body());
      codes.add(error.errorCode());
    }
    assertEquals(
        List.of(
            "bad_request",
            "unknown_tenant",
            "unsupported_media_type",
            "payload_too_large",
            "model_rejected_input",
            "model_trap"),
        codes);
    String text = health.get("/metrics").body();
    for (String code : codes) {
      assertTrue(
          text.contains("outcome=\"" + code + "\""), "no request series for " + code + "\n" + text);
    }
  }

  @Test
  void everyErrorOutcomeAnswersWithItsOwnLabelAsCode() {
    for (Outcome outcome : Outcome.values()) {
      if (outcome != Outcome.OK && outcome != Outcome.FALLBACK) {
        assertEquals(outcome.label(), ApiError.of(outcome).code, outcome.name());
      }
    }
  }

  private int tenantSeries(String tenant) {
    return (int)
        health
            .get("/metrics")
            .body()
            .lines()
            .filter(line -> !line.startsWith("#") && line.contains("tenant=\"" + tenant + "\""))
            .count();
  }

  private static String info(String model, String digest) {
    return "clawrate_model_info{digest=\""
        + digest
        + "\",model=\""
        + model
        + "\",track=\"stable\"} 1";
  }
}
