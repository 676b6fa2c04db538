package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.contract.testing.HugeFunctionModule;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function too large for the compiler runs interpreted, and the rater says so. */
class CompilerFallbackReportTest {

  @TempDir Path dir;

  @Test
  void modelsAndMetricsCountTheFunctionsLeftToTheInterpreter() {
    byte[] huge = HugeFunctionModule.module();
    new ConfigDir(dir)
        .model("huge", huge)
        .model("small", Fixtures.module("constant-a"))
        .tenant("acme-bank", "huge", 600)
        .tenant("globex", "small", 600)
        .publish();
    try (RunningRater rater = RunningRater.serve(dir)) {
      rater.awaitRevision(1);

      JsonNode models = rater.health().get("/v1/models").json().get("models");
      assertEquals("huge", models.get(0).get("name").asText());
      assertEquals("compiled", models.get(0).get("execution").asText());
      assertEquals(1, models.get(0).get("interpretedFunctions").asInt());
      assertEquals(0, models.get(1).get("interpretedFunctions").asInt());

      String metrics = rater.health().get("/metrics").body();
      assertTrue(
          metrics.contains(
              "clawrate_model_interpreted_functions{model=\"huge\",track=\"stable\"} 1.0"),
          metrics);
      assertTrue(
          metrics.contains(
              "clawrate_model_info{digest=\""
                  + ModuleDigest.of(huge)
                  + "\",model=\"huge\",track=\"stable\"} 1"),
          metrics);
      assertTrue(
          metrics.contains(
              "# HELP clawrate_model_interpreted_functions Functions of the compiled model"),
          metrics);
      assertEquals(200, rater.client().rate("acme-bank", "{}").status(), "and it still answers");
    }
  }
}
