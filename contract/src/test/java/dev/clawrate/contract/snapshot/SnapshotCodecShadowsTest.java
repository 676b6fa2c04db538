package dev.clawrate.contract.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.contract.engine.ModelLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code shadows} map of contract 2. */
class SnapshotCodecShadowsTest {

  private static final String LIVE = "sha256:" + "ab".repeat(32);
  private static final String CANDIDATE = "sha256:" + "cd".repeat(32);

  /** A snapshot with one model and tenants {@code t} and {@code u}, plus the given shadows. */
  private static String withShadows(String shadows) {
    return """
        {"revision": 4, "models": {"m": {"digest": "%s"}},
         "tenants": {"t": {"model": "m", "threshold": 600}, "u": {"model": "m", "threshold": 1}},
         "shadows": %s}
        """
        .formatted(LIVE, shadows);
  }

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
            withShadows(
                """
                {"t": {"sampleRate": 0.1,
                       "model": {"digest": "%s", "entrypoint": "score",
                                 "limits": {"maxMemoryPages": 8, "timeoutMillis": 20,
                                            "maxInputBytes": 4096}},
                       "tenant": {"model": "m-v2", "threshold": 640,
                                  "parameters": {"pdo": 20}}}}
                """
                    .formatted(CANDIDATE)));
    ShadowEntry shadow = doc.shadows().get("t");
    assertEquals(0.1, shadow.sampleRate());
    assertEquals(new ModelEntry(CANDIDATE, "score", new ModelLimits(8, 20, 4096)), shadow.model());
    assertEquals("m-v2", shadow.tenant().model(), "a label: no model of the snapshot needed");
    assertEquals(640, shadow.tenant().threshold());
    assertEquals(20, shadow.tenant().parameters().get("pdo").asInt());
    assertEquals(1, doc.shadows().size());
  }

  @Test
  void absentOrNullMeansNoShadowsAndNoneAreWritten() throws Exception {
    String without =
        """
        {"revision": 4, "models": {"m": {"digest": "%s"}},
         "tenants": {"t": {"model": "m", "threshold": 600}}}
        """
            .formatted(LIVE);
    SnapshotDocument doc = read(without);
    assertEquals(Map.of(), doc.shadows());
    assertEquals(Map.of(), read(withShadows("null")).shadows());
    String written = new String(SnapshotCodec.write(doc), StandardCharsets.UTF_8);
    assertFalse(written.contains("shadows"), written);
    assertEquals(
        doc, new SnapshotDocument(doc.revision(), doc.track(), doc.models(), doc.tenants()));
  }

  @Test
  void aShadowRoundTripsWithTheLimitsSpelledOut() throws Exception {
    SnapshotDocument doc =
        read(
            withShadows(
                """
                {"t": {"sampleRate": 1, "model": {"digest": "%s"},
                       "tenant": {"model": "m-v2", "threshold": 1}}}
                """
                    .formatted(CANDIDATE)));
    byte[] written = SnapshotCodec.write(doc);
    assertEquals(doc, SnapshotCodec.read(written));
    assertArrayEquals(written, SnapshotCodec.write(SnapshotCodec.read(written)));
    String text = new String(written, StandardCharsets.UTF_8);
    assertTrue(
        text.endsWith(
            "\"shadows\":{\"t\":{\"sampleRate\":1.0,\"model\":{\"digest\":\""
                + CANDIDATE
                + "\",\"entrypoint\":\"rate\",\"limits\":{\"maxMemoryPages\":256,"
                + "\"timeoutMillis\":50,\"maxInputBytes\":65536}},"
                + "\"tenant\":{\"model\":\"m-v2\",\"threshold\":1.0}}}}"),
        text);
  }

  @Test
  void aShadowTenantsKeysAndFallbackAreNeitherReadNorKept() throws Exception {
    SnapshotDocument doc =
        read(
            withShadows(
                """
                {"t": {"sampleRate": 0.5, "model": {"digest": "%s"},
                       "tenant": {"model": "m-v2", "threshold": 1,
                                  "auth": {"apiKeySha256": ["not hex"]},
                                  "fallback": {"model": "not-in-models"}}}}
                """
                    .formatted(CANDIDATE)));
    TenantEntry tenant = doc.shadows().get("t").tenant();
    assertEquals(List.of(), tenant.apiKeySha256());
    assertEquals(null, tenant.fallback());
    var given =
        new TenantEntry(
            "m-v2",
            1,
            JsonNodeFactory.instance.objectNode(),
            List.of("ef".repeat(32)),
            new TenantFallback(null, "refer"));
    ShadowEntry built = new ShadowEntry(0.5, new ModelEntry(CANDIDATE, "rate", null), given);
    assertEquals(List.of(), built.tenant().apiKeySha256());
    assertEquals(null, built.tenant().fallback());
  }

  @Test
  void reportsEveryProblemWithItsPathAndNoValue() {
    String message =
        rejection(
            withShadows(
                """
                {"t": {"sampleRate": 0, "model": {"digest": "sha256:XYZ",
                                                  "limits": {"timeoutMillis": 999999}},
                       "tenant": {"model": "Secret Name", "threshold": "high",
                                  "parameters": [7]}},
                 "u": {"sampleRate": "often", "model": {"digest": "%s", "entrypoint": 42},
                       "tenant": {"threshold": 1}},
                 "gone": {"sampleRate": 1.5, "model": {"digest": "%s"},
                          "tenant": {"model": "m", "threshold": 1}},
                 "Bad Id": {"sampleRate": 1, "model": {"digest": "%s"},
                            "tenant": {"model": "m", "threshold": 1}}}
                """
                    .formatted(CANDIDATE, CANDIDATE, CANDIDATE)));
    for (String expected :
        new String[] {
          "shadows.t.sampleRate must be a number above 0 and at most 1",
          "shadows.t.model.digest must look like sha256:<64 lowercase hex>",
          "shadows.t.model.limits.timeoutMillis must be an integer between 1 and 10000",
          "shadows.t.tenant.model must be a model name",
          "shadows.t.tenant.threshold must be a number",
          "shadows.t.tenant.parameters must be an object",
          "shadows.u.sampleRate must be a number above 0 and at most 1",
          "shadows.u.model.entrypoint must be the name of an exported function",
          "shadows.u.tenant.model is required",
          "shadows.gone names no tenant in tenants",
          "shadows.gone.sampleRate must be a number above 0 and at most 1",
          "shadows[3]: names must be lowercase",
          "shadows[3] names no tenant in tenants",
        }) {
      assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
    }
    for (String value :
        new String[] {"XYZ", "999999", "Secret Name", "high", "often", "42", "1.5", "Bad Id"}) {
      assertFalse(message.contains(value), "repeats the value " + value + ": " + message);
    }
  }

  @Test
  void rejectsShadowsThatAreNotObjectsOrLackTheirParts() {
    assertTrue(
        rejection(withShadows("[]")).contains("shadows must be an object of tenant id to shadow"));
    String message = rejection(withShadows("{\"t\": \"m-v2\", \"u\": {\"sampleRate\": 1}}"));
    for (String expected :
        new String[] {
          "shadows.t must be an object",
          "shadows.u.model is required",
          "shadows.u.tenant is required",
        }) {
      assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
    }
    String parts =
        rejection(withShadows("{\"t\": {\"sampleRate\": 1, \"model\": 7, \"tenant\": []}}"));
    assertTrue(parts.contains("shadows.t.model must be an object"), parts);
    assertTrue(parts.contains("shadows.t.tenant must be an object"), parts);
  }

  @Test
  void aDocumentRefusesAShadowForATenantItDoesNotHaveAndAShadowABadRate() {
    var tenant = new TenantEntry("m", 1, JsonNodeFactory.instance.objectNode(), List.of());
    var shadow = new ShadowEntry(0.5, new ModelEntry(CANDIDATE, "rate", null), tenant);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SnapshotDocument(
                1,
                "stable",
                Map.of("m", new ModelEntry(LIVE, "rate", null)),
                Map.of("t", tenant),
                Map.of("other", shadow)));
    for (double rate : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new ShadowEntry(rate, new ModelEntry(CANDIDATE, "rate", null), tenant),
          "rate " + rate);
    }
  }
}
