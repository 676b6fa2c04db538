package dev.clawrate.rater.k6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.rater.testing.ExternalTool;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the k6 scripts send and rely on, from {@code k6/lib/contract.json}, the file the scripts
 * read too, against real raters: the example config with its example tenant, and a config with a
 * tenant behind an API key and one whose model always traps and falls back to a fixed decision. A
 * field the scripts check that the rater stopped sending, or a header it stopped reading, fails
 * here before a synthetic check fails in production.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RatingContractShapesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEYED = ContractRaters.KEYED;
  private static final String FALLING_BACK = ContractRaters.FALLING_BACK;
  private static final String API_KEY = ContractRaters.API_KEY;
  private static final String FIXED_DECISION = ContractRaters.FIXED_DECISION;

  private JsonNode contract;
  private String applicant;
  @TempDir static Path configDir;
  private ContractRaters raters;
  private RunningRater example;
  private RunningRater other;

  @BeforeAll
  void start() throws IOException {
    Path root = ExternalTool.repositoryRoot();
    contract = JSON.readTree(Files.readString(root.resolve("k6/lib/contract.json")));
    // Compacted, as the scripts send it (JSON.stringify of the parsed file).
    applicant =
        JSON.readTree(Files.readString(root.resolve(contract.at("/request/applicant").asText())))
            .toString();
    raters = ContractRaters.start(configDir);
    example = raters.example();
    other = raters.other();
  }

  @AfterAll
  void stop() {
    if (raters != null) {
      raters.close();
    }
  }

  /** The request the scripts build: method, path, body and headers as the contract gives them. */
  private Answer send(RunningRater rater, String tenant, String apiKey) {
    JsonNode request = contract.get("request");
    HttpRequest.Builder builder =
        rater
            .client()
            .rateRequest(null)
            .uri(
                java.net.URI.create(
                    "http://127.0.0.1:" + rater.rater().port() + request.get("path").asText()))
            .setHeader("Content-Type", request.get("contentType").asText())
            .setHeader(request.get("tenantHeader").asText(), tenant)
            .method(
                request.get("method").asText(),
                HttpRequest.BodyPublishers.ofString(applicant, StandardCharsets.UTF_8));
    if (apiKey != null) {
      builder.setHeader(
          request.get("apiKeyHeader").asText(),
          request.get("apiKeyScheme").asText() + " " + apiKey);
    }
    return rater.client().send(builder.build());
  }

  private static boolean isOfType(JsonNode value, String type) {
    return switch (type) {
      case "string" -> value.isTextual();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "object" -> value.isObject();
      default -> throw new AssertionError("contract.json names an unknown type " + type);
    };
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  /** Every documented field of a rating with its type; a fallback's rating may be null. */
  private void assertDocumentedFields(Answer answer, String tenant, boolean fallback) {
    JsonNode answerContract = contract.get("answer");
    assertEquals(answerContract.get("status").asInt(), answer.status(), answer.body());
    JsonNode body = answer.json();
    Iterator<Map.Entry<String, JsonNode>> fields = answerContract.get("fields").fields();
    assertTrue(fields.hasNext(), "contract.json lists the answer's fields");
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = body.get(field.getKey());
      assertTrue(value != null, field.getKey() + " is in " + answer.body());
      boolean nullRating = fallback && field.getKey().equals("rating") && value.isNull();
      assertTrue(
          nullRating || isOfType(value, field.getValue().asText()),
          field.getKey() + " is a " + field.getValue().asText() + " in " + answer.body());
    }
    assertEquals(tenant, body.get("tenant").asText());
    assertTrue(
        body.get("digest").asText().matches(answerContract.get("digestPattern").asText()),
        answer.body());
    assertTrue(
        texts(answerContract.get("tracks")).contains(body.get("track").asText()), answer.body());
    assertTrue(
        answer
            .raw()
            .headers()
            .firstValue(answerContract.get("revisionHeader").asText())
            .orElse("")
            .matches("[0-9]+"),
        "the revision header is a number");
  }

  @Test
  void theExampleRequestIsRatedWithEveryFieldTheScriptsCheck() {
    String tenant = contract.at("/request/tenant").asText();

    Answer answer = send(example, tenant, null);

    assertDocumentedFields(answer, tenant, false);
    JsonNode body = answer.json();
    assertTrue(
        texts(contract.at("/answer/decisions")).contains(body.get("decision").asText()),
        answer.body());
    assertFalse(body.has(contract.at("/answer/fallbackField").asText()), answer.body());
    assertTrue(
        answer
            .raw()
            .headers()
            .firstValue(contract.at("/answer/fallbackHeader").asText())
            .isEmpty());
  }

  @Test
  void theApiKeyGoesWhereTheScriptsPutIt() {
    assertDocumentedFields(send(other, KEYED, API_KEY), KEYED, false);
    assertEquals(401, send(other, KEYED, null).status(), "without the key, the check is real");
    assertEquals(403, send(other, KEYED, API_KEY + "-wrong").status());
  }

  @Test
  void aFallbackAnswerHasWhatTheScriptsAcceptOfOne() {
    Answer answer = send(other, FALLING_BACK, null);

    assertDocumentedFields(answer, FALLING_BACK, true);
    JsonNode body = answer.json();
    assertTrue(body.get(contract.at("/answer/fallbackField").asText()).asBoolean());
    String reason = body.get(contract.at("/answer/fallbackReasonField").asText()).asText();
    assertTrue(texts(contract.at("/answer/fallbackReasons")).contains(reason), answer.body());
    assertEquals(
        reason,
        answer
            .raw()
            .headers()
            .firstValue(contract.at("/answer/fallbackHeader").asText())
            .orElse(null));
    assertEquals(FIXED_DECISION, body.get("decision").asText());
    assertTrue(
        FIXED_DECISION.matches(contract.at("/answer/fallbackDecisionPattern").asText()),
        "the scripts accept the fixed decision");
  }

  @Test
  void readinessHasWhatTheSyntheticCheckReads() {
    JsonNode readiness = contract.get("readiness");

    Answer answer = example.health().get(readiness.get("path").asText());

    assertEquals(readiness.get("status").asInt(), answer.status(), answer.body());
    JsonNode body = answer.json();
    assertEquals(readiness.get("ready").asText(), body.get("status").asText());
    readiness
        .get("fields")
        .fields()
        .forEachRemaining(
            field ->
                assertTrue(
                    body.has(field.getKey())
                        && isOfType(body.get(field.getKey()), field.getValue().asText()),
                    field.getKey()
                        + " is a "
                        + field.getValue().asText()
                        + " in "
                        + answer.body()));
  }
}
