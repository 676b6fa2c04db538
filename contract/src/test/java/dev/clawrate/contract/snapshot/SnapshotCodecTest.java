package dev.clawrate.contract.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.contract.engine.ModelLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static SnapshotDocument read(String json) throws SnapshotException {
    return SnapshotCodec.read(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String rejection(String json) {
    return assertThrows(SnapshotException.class, () -> read(json)).getMessage();
  }

  @Test
  void readsTheDocumentedShape() throws Exception {
    SnapshotDocument doc =
        read(
            """
            {"revision": 7, "track": "stable",
             "models": {"credit-scorecard": {"digest": "%s", "entrypoint": "rate",
                        "limits": {"maxMemoryPages": 256, "timeoutMillis": 50, "maxInputBytes": 65536}}},
             "tenants": {"acme-bank": {"model": "credit-scorecard", "threshold": 650, "parameters": {"pdo": 20}}}}
            """
                .formatted(DIGEST));
    assertEquals(7, doc.revision());
    assertEquals("stable", doc.track());
    ModelEntry model = doc.models().get("credit-scorecard");
    assertEquals(DIGEST, model.digest());
    assertEquals(new ModelLimits(256, 50, 65536), model.limits());
    TenantEntry tenant = doc.tenants().get("acme-bank");
    assertEquals(650, tenant.threshold());
    assertEquals(20, tenant.parameters().get("pdo").asInt());
    assertTrue(!tenant.requiresApiKey());
  }

  @Test
  void missingLimitsAndEntrypointTakeDefaultsAndUnknownFieldsAreIgnored() throws Exception {
    SnapshotDocument doc =
        read(
            """
            {"revision": 1, "futureField": true,
             "models": {"m": {"digest": "%s", "limits": {"timeoutMillis": 20}, "owner": "x"}},
             "tenants": {"t": {"model": "m", "threshold": 0.5, "region": "eu"}}}
            """
                .formatted(DIGEST));
    ModelEntry model = doc.models().get("m");
    assertEquals("rate", model.entrypoint());
    assertEquals(
        new ModelLimits(
            ModelLimits.DEFAULT_MAX_MEMORY_PAGES, 20, ModelLimits.DEFAULT_MAX_INPUT_BYTES),
        model.limits());
    assertEquals("stable", doc.track());
    assertEquals(0, doc.tenants().get("t").parameters().size());
  }

  @Test
  void reportsEveryProblemWithItsPath() {
    String message =
        rejection(
            """
            {"revision": -3, "track": "blue",
             "models": {"m": {"digest": "sha256:XYZ", "limits": {"maxMemoryPages": 999999}}},
             "tenants": {"t": {"model": "nope", "threshold": "high", "parameters": []},
                         "Bad Name": {"model": "m", "threshold": 1}}}
            """);
    for (String expected :
        new String[] {
          "revision must be a non-negative integer",
          "track must be \"stable\" or \"canary\"",
          "models.m.digest must look like sha256:<64 lowercase hex>",
          "models.m.limits.maxMemoryPages must be an integer between 1 and 4096",
          "tenants.t.model names no model in models",
          "tenants.t.threshold must be a number",
          "tenants.t.parameters must be an object",
          "tenants[1]: names must be lowercase",
        }) {
      assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
    }
    for (String value : new String[] {"blue", "XYZ", "999999", "nope", "high", "Bad Name"}) {
      assertFalse(message.contains(value), "repeats the value " + value + ": " + message);
    }
  }

  @Test
  void rejectsMalformedJson() {
    assertTrue(rejection("{\"revision\": 1,").startsWith("snapshot.json is not valid JSON"));
    assertTrue(rejection("[]").contains("must hold a JSON object"));
  }

  @Test
  void malformedJsonIsLocatedNotQuoted() {
    assertEquals(
        "snapshot.json is not valid JSON (line 2, column 26)",
        rejection("{\"revision\": 1,\n \"tenants\": {\"t\": s3cr3t-t0ken}}"));
    String notUtf8 =
        assertThrows(
                SnapshotException.class,
                () -> SnapshotCodec.read(new byte[] {'{', '"', (byte) 0xfe, (byte) 0xed, '"'}))
            .getMessage();
    assertTrue(notUtf8.startsWith("snapshot.json is not"), notUtf8);
    assertFalse(notUtf8.toLowerCase(java.util.Locale.ROOT).contains("fe"), notUtf8);
  }

  @Test
  void rejectsMalformedApiKeyHashes() {
    String message =
        rejection(
            """
            {"revision": 1, "models": {"m": {"digest": "%s"}},
             "tenants": {"t": {"model": "m", "threshold": 1, "auth": {"apiKeySha256": ["secret"]}}}}
            """
                .formatted(DIGEST));
    assertTrue(message.contains("tenants.t.auth.apiKeySha256 entries must be 64"), message);
  }

  @Test
  void writeIsCanonicalAndRoundTrips() throws Exception {
    String json =
        """
        {"tenants": {"b": {"model": "m", "threshold": 1, "auth": {"apiKeySha256": ["%s"]}},
                     "a": {"model": "m", "threshold": 2, "parameters": {"z": 1, "y": [1, 2]}}},
         "models": {"m": {"digest": "%s"}}, "revision": 3, "track": "canary"}
        """
            .formatted("cd".repeat(32), DIGEST);
    SnapshotDocument doc = read(json);
    byte[] written = SnapshotCodec.write(doc);
    assertEquals(doc, SnapshotCodec.read(written));
    assertArrayEquals(written, SnapshotCodec.write(SnapshotCodec.read(written)));
    String text = new String(written, StandardCharsets.UTF_8);
    assertTrue(text.indexOf("\"a\"") < text.indexOf("\"b\""), "tenants sorted: " + text);
    assertTrue(
        text.contains("\"limits\":{\"maxMemoryPages\":256"), "defaults spelled out: " + text);
  }

  @Test
  void aFallbackRoundTripsWithAbsentMembersLeftOut() throws Exception {
    SnapshotDocument doc =
        read(
            """
            {"revision": 1, "models": {"m": {"digest": "%s"}, "backup": {"digest": "%s"}},
             "tenants": {"both": {"model": "m", "threshold": 1,
                                  "fallback": {"model": "backup", "decision": "refer"}},
                         "model-only": {"model": "m", "threshold": 1, "fallback": {"model": "backup"}},
                         "decision-only": {"model": "m", "threshold": 1,
                                           "fallback": {"model": null, "decision": "manual_review"}},
                         "none": {"model": "m", "threshold": 1}}}
            """
                .formatted(DIGEST, "sha256:" + "cd".repeat(32)));
    assertEquals(new TenantFallback("backup", "refer"), doc.tenants().get("both").fallback());
    assertEquals(new TenantFallback("backup", null), doc.tenants().get("model-only").fallback());
    assertEquals(
        new TenantFallback(null, "manual_review"), doc.tenants().get("decision-only").fallback());
    assertNull(doc.tenants().get("none").fallback());
    byte[] written = SnapshotCodec.write(doc);
    assertEquals(doc, SnapshotCodec.read(written));
    String text = new String(written, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"fallback\":{\"model\":\"backup\",\"decision\":\"refer\"}"), text);
    assertTrue(text.contains("\"fallback\":{\"model\":\"backup\"}"), text);
    assertTrue(text.contains("\"fallback\":{\"decision\":\"manual_review\"}"), text);
    assertFalse(text.contains("null"), "absent members are left out: " + text);
    assertTrue(text.contains("\"none\":{\"model\":\"m\",\"threshold\":1.0}"), text);
  }

  @Test
  void theFourArgumentTenantHasNoFallback() {
    var tenant = new TenantEntry("m", 1, JsonNodeFactory.instance.objectNode(), List.of());
    assertNull(tenant.fallback());
  }

  @Test
  void reportsEveryMalformedFallbackWithoutItsValue() {
    String message =
        rejection(
            """
            {"revision": 1, "models": {"m": {"digest": "%s"}, "backup": {"digest": "%s"}},
             "tenants": {"a": {"model": "m", "threshold": 1, "fallback": "backup"},
                         "b": {"model": "m", "threshold": 1, "fallback": {"model": 7}},
                         "c": {"model": "m", "threshold": 1, "fallback": {"model": "gone-model"}},
                         "d": {"model": "m", "threshold": 1, "fallback": {"model": "m"}},
                         "e": {"model": "m", "threshold": 1, "fallback": {"decision": "Refer Now"}},
                         "f": {"model": "m", "threshold": 1, "fallback": {"decision": true}},
                         "g": {"model": "m", "threshold": 1, "fallback": {}},
                         "h": {"model": "m", "threshold": 1,
                               "fallback": {"model": null, "decision": null}},
                         "i": {"model": "m", "threshold": 1, "fallback": {"decision": "%s"}}}}
            """
                .formatted(DIGEST, "sha256:" + "cd".repeat(32), "x".repeat(33)));
    for (String expected :
        new String[] {
          "tenants.a.fallback must be an object with a model, a decision or both",
          "tenants.b.fallback.model must be the name of a model in models",
          "tenants.c.fallback.model names no model in models",
          "tenants.d.fallback.model must be another model than the tenant's own",
          "tenants.e.fallback.decision must be a lowercase letter then up to 31",
          "tenants.f.fallback.decision must be a lowercase letter then up to 31",
          "tenants.g.fallback needs a model, a decision or both",
          "tenants.h.fallback needs a model, a decision or both",
          "tenants.i.fallback.decision must be a lowercase letter then up to 31",
        }) {
      assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
    }
    for (String value : new String[] {"gone-model", "Refer Now", "xxxxx"}) {
      assertFalse(message.contains(value), "repeats the value " + value + ": " + message);
    }
  }

  @Test
  void aFallbackNeedsAModelOrAWellFormedDecisionAndNotTheTenantsOwnModel() {
    assertThrows(IllegalArgumentException.class, () -> new TenantFallback(null, null));
    assertThrows(IllegalArgumentException.class, () -> new TenantFallback(null, "Refer"));
    assertThrows(IllegalArgumentException.class, () -> new TenantFallback(null, "x".repeat(33)));
    assertEquals("x".repeat(32), new TenantFallback(null, "x".repeat(32)).decision());
    var parameters = JsonNodeFactory.instance.objectNode();
    assertThrows(
        IllegalArgumentException.class,
        () -> new TenantEntry("m", 1, parameters, List.of(), new TenantFallback("m", null)));
  }
}
