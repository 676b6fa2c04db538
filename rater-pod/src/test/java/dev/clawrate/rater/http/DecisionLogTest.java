package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.audit.RequestIds;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RaterClient.Answer;
import dev.clawrate.rater.testing.RunningRater;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The decision log of a real rater, compared with the answers it records. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionLogTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  // Line breaks inside the body must not split its record.
  private static final String BODY = "{\"applicantId\":\"A-1\",\n \"age\": 40}";

  private Path auditFile;
  private RunningRater rater;
  private RaterClient client;

  @BeforeAll
  void start() throws IOException {
    Path dir = Files.createTempDirectory("decision-log-");
    auditFile = dir.resolve("decisions.jsonl");
    new ConfigDir(dir.resolve("config"))
        .model("scorer", Fixtures.module("constant-a"))
        .model("backup", Fixtures.module("constant-b"))
        .model("trap", Fixtures.module("trap"))
        .tenant("approver", "scorer", 1)
        .tenant("decliner", "scorer", 1_000_000)
        .tenant("rescued", "trap", 1, new TenantFallback("backup", null))
        .tenant("referred", "trap", 1, new TenantFallback(null, "refer"))
        .tenant("trapper", "trap", 1)
        .publish();
    rater =
        RunningRater.serve(
            dir.resolve("config"),
            "--audit-log",
            auditFile.toString(),
            "--audit-input-tenants",
            "decliner, rescued");
    client = rater.client();
  }

  @AfterAll
  void stop() {
    rater.close();
  }

  @Test
  void everyAnswerIsRecordedFieldByField() {
    List<Answer> answers = new ArrayList<>();
    for (String tenant : List.of("approver", "decliner", "rescued", "referred", "trapper")) {
      answers.add(client.rate(tenant, BODY));
    }
    answers.add(client.rate("nobody", BODY));
    answers.add(client.rate("approver", "[1]"));
    answers.add(
        client.rate("approver", BODY.getBytes(StandardCharsets.UTF_8), "X-Request-Id", "req-42"));

    Map<String, JsonNode> records = awaitRecords(answers);
    for (Answer answer : answers) {
      String id = answer.raw().headers().firstValue("X-Request-Id").orElseThrow();
      JsonNode record = records.get(id);
      assertTrue(record != null, "no record for " + id + ": " + answer.body());
      assertEquals(answer.status(), record.get("status").asInt(), id);
      assertEquals("stable", record.get("track").asText());
      assertEquals(1, record.get("revision").asLong());
      assertTrue(record.get("latencyMs").asDouble() > 0, record.toString());
      assertFalse(record.get("time").asText().isEmpty());
      JsonNode json = answer.json();
      if (answer.status() == 200) {
        compareAnswered(answer, json, record);
      } else {
        assertEquals(json.at("/error/code").asText(), record.get("outcome").asText(), id);
        assertFalse(record.has("rating") || record.has("decision") || record.has("input"));
      }
    }
    JsonNode given = records.get("req-42");
    assertEquals("approver", given.get("tenant").asText());
    assertEquals("unknown_tenant", outcomeOf(records, answers.get(5)));
    assertFalse(
        records.get(idOf(answers.get(5))).has("tenant"),
        "a name the rater does not know is not recorded");
    assertEquals("bad_request", outcomeOf(records, answers.get(6)));
    assertEquals("approver", records.get(idOf(answers.get(6))).get("tenant").asText());
    assertEquals("model_trap", outcomeOf(records, answers.get(4)));
  }

  private static void compareAnswered(Answer answer, JsonNode json, JsonNode record) {
    String tenant = json.get("tenant").asText();
    assertEquals(tenant, record.get("tenant").asText());
    assertEquals(json.get("decision").asText(), record.get("decision").asText());
    if (json.get("rating").isNull()) {
      assertFalse(record.has("rating"), record.toString());
    } else {
      assertEquals(json.get("rating").asDouble(), record.get("rating").asDouble(), tenant);
    }
    boolean fallback = json.path("fallback").asBoolean(false);
    assertEquals(fallback ? "fallback" : "ok", record.get("outcome").asText(), tenant);
    if (!fallback) {
      assertEquals(json.get("model").asText(), record.get("model").asText());
      assertEquals(json.get("digest").asText(), record.get("digest").asText());
      assertFalse(record.has("fallback"));
    } else {
      JsonNode stoodIn = record.get("fallback");
      assertEquals(json.get("fallbackReason").asText(), stoodIn.get("reason").asText());
      assertEquals(
          answer.raw().headers().firstValue("X-Clawrate-Fallback").orElseThrow(),
          stoodIn.get("reason").asText());
      assertEquals("trap", record.get("model").asText(), "the tenant's own model failed");
      if (stoodIn.get("answer").asText().equals("fallback_model")) {
        assertEquals(json.get("model").asText(), stoodIn.get("model").asText());
        assertEquals(json.get("digest").asText(), stoodIn.get("digest").asText());
      } else {
        assertEquals("decision", stoodIn.get("answer").asText());
        assertFalse(stoodIn.has("model"));
      }
    }
    assertEquals(
        answer.raw().headers().firstValue("X-Clawrate-Revision").orElseThrow(),
        record.get("revision").asText());
    if (tenant.equals("decliner") || tenant.equals("rescued")) {
      assertEquals(40, record.at("/input/age").asInt(), "the tenant opted in: " + record);
    } else {
      assertFalse(record.has("input"), "the tenant did not opt in: " + record);
    }
  }

  @Test
  void aValidRequestIdIsEchoedAndAnInvalidOneReplaced() {
    Answer kept =
        client.rate("approver", BODY.getBytes(StandardCharsets.UTF_8), "X-Request-Id", "a.b:c_d-1");
    assertEquals("a.b:c_d-1", idOf(kept));
    Answer keptOnError =
        client.rate("nobody", BODY.getBytes(StandardCharsets.UTF_8), "X-Request-Id", "err-1");
    assertEquals(404, keptOnError.status());
    assertEquals("err-1", idOf(keptOnError));
    for (String invalid : List.of("has space", "semi;colon", "x".repeat(129), "quote\"d")) {
      Answer replaced =
          client.rate("approver", BODY.getBytes(StandardCharsets.UTF_8), "X-Request-Id", invalid);
      assertNotEquals(invalid, idOf(replaced));
      assertTrue(RequestIds.isValid(idOf(replaced)), idOf(replaced));
    }
  }

  @Test
  void anIdIsGeneratedForEveryAnswerErrorsIncluded() {
    Answer rated = client.rate("approver", BODY);
    Answer unknown = client.rate("nobody", BODY);
    Answer notFound = client.get("/nowhere");
    List<String> ids = List.of(idOf(rated), idOf(unknown), idOf(notFound));
    for (String id : ids) {
      assertTrue(RequestIds.isValid(id), id);
    }
    assertEquals(3, ids.stream().distinct().count(), ids.toString());
  }

  private static String idOf(Answer answer) {
    return answer.raw().headers().firstValue("X-Request-Id").orElseThrow();
  }

  private static String outcomeOf(Map<String, JsonNode> records, Answer answer) {
    return records.get(idOf(answer)).get("outcome").asText();
  }

  /** The records of the log by request id, once every answer's is written. */
  private Map<String, JsonNode> awaitRecords(List<Answer> answers) {
    return Await.value(
        "every answer is in the decision log",
        this::records,
        records -> answers.stream().allMatch(a -> records.containsKey(idOf(a))));
  }

  private Map<String, JsonNode> records() {
    Map<String, JsonNode> records = new HashMap<>();
    try {
      if (!Files.exists(auditFile)) {
        return records;
      }
      String text = Files.readString(auditFile);
      // Only whole lines: the writer may be half-way through the last one.
      for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
        if (!line.isEmpty()) {
          JsonNode record = MAPPER.readTree(line);
          records.put(record.get("requestId").asText(), record);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }
}
