package dev.clawrate.rater.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example scorecard, run in the engine that serves it, against the table of applicants and
 * against an independent Java implementation of the same scorecard.
 */
class ScorecardModelTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String SCORECARD_DIGEST =
      "sha256:8e88bf0aece1468784b4eda8e16ac78444c514d9dbf9eded0163959ab98e2b22";

  private static ModelEngine compiled;
  private static ModelEngine interpreted;

  @BeforeAll
  static void load() {
    compiled = new ModelEngine(ExecutionMode.COMPILED, 2);
    interpreted = new ModelEngine(ExecutionMode.INTERPRETED, 2);
  }

  @AfterAll
  static void close() {
    compiled.close();
    interpreted.close();
  }

  static byte[] scorecardModule() {
    return Fixtures.read(
        Fixtures.examplesDir()
            .resolve("config/modules/" + ModuleDigest.hex(SCORECARD_DIGEST) + ".wasm"));
  }

  static Stream<Arguments> cases() {
    JsonNode table;
    try {
      table = MAPPER.readTree(ScorecardModelTest.class.getResource("/scorecard/applicants.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : table.get("cases")) {
      for (ExecutionMode mode : ExecutionMode.values()) {
        cases.add(Arguments.of(c.get("name").asText(), mode, c));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("cases")
  void wasmAgreesWithTheTableAndTheJavaReference(String name, ExecutionMode mode, JsonNode c)
      throws Exception {
    ModelEngine engine = mode == ExecutionMode.COMPILED ? compiled : interpreted;
    byte[] module = scorecardModule();
    ModelRuntime runtime = engine.load(d -> module, SCORECARD_DIGEST, "rate", Fixtures.UNHURRIED);

    ObjectNode abiInput = JsonNodeFactory.instance.objectNode().put("tenant", "acme-bank");
    if (c.has("parameters")) {
      abiInput.set("parameters", c.get("parameters"));
    }
    if (c.has("input")) {
      abiInput.set("input", c.get("input"));
    }
    JsonNode wasm = MAPPER.readTree(runtime.call(MAPPER.writeValueAsBytes(abiInput)));
    JsonNode expected = c.get("expected");
    ScorecardReference.Outcome reference =
        ScorecardReference.rate(c.get("input"), c.get("parameters"));

    if (expected.has("error")) {
      assertEquals(expected, wasm, "the module rejects the input with exactly this output");
      assertEquals(new ScorecardReference.Rejected(expected.get("error").asText()), reference);
      return;
    }
    var result = (ScorecardReference.Result) reference;
    for (String field :
        new String[] {"rating", "probabilityOfDefault", "totalPoints", "debtToIncome"}) {
      assertEquals(expected.get(field).asDouble(), wasm.get(field).asDouble(), 0, field);
    }
    assertEquals(expected.get("points"), wasm.get("points"));
    assertEquals(expected.get("reasonCodes"), wasm.get("reasonCodes"));
    assertEquals(expected.get("reasons"), wasm.get("reasons"));

    assertEquals(result.rating(), wasm.get("rating").asDouble(), 0, "reference rating");
    assertEquals(result.probabilityOfDefault(), wasm.get("probabilityOfDefault").asDouble(), 0);
    assertEquals(result.totalPoints(), wasm.get("totalPoints").asInt());
    assertEquals(result.debtToIncome(), wasm.get("debtToIncome").asDouble(), 0);
    assertEquals(MAPPER.valueToTree(result.points()), wasm.get("points"));
    assertEquals(MAPPER.valueToTree(result.reasonCodes()), wasm.get("reasonCodes"));
    assertTrue(wasm.get("rating").isIntegralNumber(), "ratings are whole points");
  }
}
