package dev.clawrate.rater.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/config served as the README shows, with the example requests. */
class ExampleConfigTest {

  private static RunningRater rater;

  @BeforeAll
  static void start() {
    rater = RunningRater.serve(Fixtures.examplesDir().resolve("config"));
  }

  @AfterAll
  static void stop() {
    rater.close();
  }

  private static String request(String file) {
    return new String(
        Fixtures.read(Fixtures.examplesDir().resolve("requests").resolve(file)),
        StandardCharsets.UTF_8);
  }

  @Test
  void acmeBankApprovesTheSampleApplicant() {
    Answer answer = rater.client().rate("acme-bank", request("applicant.json"));
    assertEquals(200, answer.status(), answer.body());
    JsonNode json = answer.json();
    assertEquals("credit-scorecard", json.get("model").asText());
    assertEquals(ScorecardModelTest.SCORECARD_DIGEST, json.get("digest").asText());
    assertEquals(680, json.get("rating").asInt());
    assertEquals("approve", json.get("decision").asText());
    assertEquals("R02", json.at("/result/reasonCodes/0").asText());
  }

  @Test
  void globexLendingRatesOnTheRiskTierModel() {
    Answer answer = rater.client().rate("globex-lending", request("risk-tier.json"));
    assertEquals(200, answer.status(), answer.body());
    assertEquals("risk-tier", answer.json().get("model").asText());
    assertEquals("B", answer.json().at("/result/tier").asText());
    assertEquals("approve", answer.json().get("decision").asText());
  }

  @Test
  void aMissingFieldIsTheModelsOwn422() {
    Answer answer = rater.client().rate("acme-bank", "{\"age\": 40}");
    assertEquals(422, answer.status());
    assertEquals("input.annualIncome is required", answer.json().at("/error/message").asText());
  }
}
