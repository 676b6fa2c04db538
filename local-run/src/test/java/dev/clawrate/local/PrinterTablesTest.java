package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Table kubectl gets for clawrate's resources, from the CRDs' printer columns. Pure. */
class PrinterTablesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  private static List<CustomResourceColumnDefinition> ratingModelColumns() throws Exception {
    try (InputStream in =
        PrinterTablesTest.class
            .getClassLoader()
            .getResourceAsStream("crds/ratingmodels.clawrate.dev-v1.yml")) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      return PrinterTables.columns(List.of(crd)).get("ratingmodels");
    }
  }

  @Test
  void aListBecomesRowsWithThePrinterColumns() throws Exception {
    JsonNode list =
        JSON.readTree(
            """
            {"kind": "RatingModelList", "metadata": {"resourceVersion": "42"}, "items": [
              {"metadata": {"name": "scorer", "namespace": "lending",
                            "creationTimestamp": "2026-01-01T00:55:00Z"},
               "status": {"digest": "sha256:aa", "raters": "3/3", "regionsSynced": "3/3",
                          "conditions": [{"type": "Validated", "status": "True"},
                                         {"type": "Ready", "status": "True"}]}},
              {"metadata": {"name": "new", "namespace": "lending",
                            "creationTimestamp": "2026-01-01T00:59:30Z"}}]}
            """);
    JsonNode table = PrinterTables.table(list, ratingModelColumns(), NOW);
    assertEquals("Table", table.get("kind").asText());
    assertEquals("42", table.get("metadata").get("resourceVersion").asText());
    List<String> names = table.get("columnDefinitions").findValuesAsText("name");
    assertEquals("Name", names.get(0));
    assertEquals(
        List.of("Age", "Digest", "Name", "Raters", "Ready", "Regions"),
        names.stream().sorted().toList());
    Map<String, JsonNode> scorer = new HashMap<>();
    Map<String, JsonNode> fresh = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      scorer.put(names.get(i), table.get("rows").get(0).get("cells").get(i));
      fresh.put(names.get(i), table.get("rows").get(1).get("cells").get(i));
    }
    assertEquals("scorer", scorer.get("Name").asText());
    assertEquals("sha256:aa", scorer.get("Digest").asText());
    assertEquals("True", scorer.get("Ready").asText());
    assertEquals("3/3", scorer.get("Regions").asText());
    assertEquals("3/3", scorer.get("Raters").asText());
    assertEquals("5m", scorer.get("Age").asText());
    assertTrue(fresh.get("Digest").isNull(), "nothing found is an empty cell");
    assertEquals("30s", fresh.get("Age").asText());
    assertEquals(
        "lending",
        table.get("rows").get(0).get("object").get("metadata").get("namespace").asText());
  }

  @Test
  void pathsFindWhatPrinterColumnsAskFor() throws Exception {
    JsonNode item =
        JSON.readTree(
            "{\"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"False\"}]}}");
    assertEquals(
        "False",
        PrinterTables.evaluate(item, ".status.conditions[?(@.type==\"Ready\")].status").asText());
    assertEquals(
        null, PrinterTables.evaluate(item, ".status.conditions[?(@.type==\"Gone\")].status"));
    assertEquals(null, PrinterTables.evaluate(item, ".status.digest"));
    assertEquals(null, PrinterTables.evaluate(item, "status.digest"), "not a path kubectl writes");
  }

  @Test
  void agesReadAsKubectlShowsThem() {
    assertEquals("45s", PrinterTables.age("2026-01-01T00:59:15Z", NOW));
    assertEquals("3m12s", PrinterTables.age("2026-01-01T00:56:48Z", NOW));
    assertEquals("60m", PrinterTables.age("2026-01-01T00:00:00Z", NOW));
    assertEquals("5h", PrinterTables.age("2025-12-31T20:00:00Z", NOW));
    assertEquals("3d", PrinterTables.age("2025-12-29T00:00:00Z", NOW));
    assertTrue(PrinterTables.age("yesterday", NOW).contains("invalid"));
  }
}
