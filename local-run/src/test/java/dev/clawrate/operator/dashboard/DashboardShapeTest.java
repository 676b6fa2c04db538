package dev.clawrate.operator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Grafana needs of the dashboard beyond its metrics: a Prometheus datasource variable every
 * panel and query uses, only variables that are defined (or Grafana's own), panel ids that are
 * unique, and panels that fit the 24-column grid.
 */
class DashboardShapeTest {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
  private static final Set<String> BUILT_IN =
      Set.of("__rate_interval", "__interval", "__range", "__all");

  private static JsonNode dashboard;

  @BeforeAll
  static void read() throws IOException {
    dashboard = new ObjectMapper().readTree(Files.readString(DashboardMetricsTest.dashboard()));
  }

  private static List<JsonNode> panels() {
    List<JsonNode> all = new ArrayList<>();
    collect(dashboard.path("panels"), all);
    return all;
  }

  private static void collect(JsonNode panels, List<JsonNode> into) {
    for (JsonNode panel : panels) {
      into.add(panel);
      collect(panel.path("panels"), into);
    }
  }

  @Test
  void theDatasourceIsAPrometheusVariableEveryQueryUses() {
    JsonNode first = dashboard.path("templating").path("list").get(0);
    assertEquals("datasource", first.path("type").asText());
    assertEquals("prometheus", first.path("query").asText());
    String uid = "${" + first.path("name").asText() + "}";
    for (JsonNode panel : panels()) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertEquals(
          uid, panel.path("datasource").path("uid").asText(), panel.path("title").asText());
      for (JsonNode target : panel.path("targets")) {
        assertEquals(
            uid, target.path("datasource").path("uid").asText(), panel.path("title").asText());
      }
    }
  }

  @Test
  void everyVariableAQueryUsesIsDefined() {
    Set<String> defined = new HashSet<>(BUILT_IN);
    dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
    Set<String> undefined = new TreeSet<>();
    for (DashboardQueries.Query query : DashboardQueries.of(dashboard)) {
      Matcher variable = VARIABLE.matcher(query.expr());
      while (variable.find()) {
        if (!defined.contains(variable.group(1))) {
          undefined.add(query.where() + ": $" + variable.group(1));
        }
      }
    }
    assertEquals(Set.of(), undefined);
  }

  @Test
  void panelIdsAreUniqueAndPanelsFitTheGrid() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels()) {
      String title = panel.path("title").asText();
      assertTrue(ids.add(panel.path("id").asInt()), "id of " + title + " is unique");
      JsonNode grid = panel.path("gridPos");
      assertTrue(grid.path("w").asInt() > 0 && grid.path("h").asInt() > 0, title);
      assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, title + " fits 24 columns");
    }
    assertTrue(ids.size() > 20, "the dashboard has its panels");
    assertTrue(dashboard.path("schemaVersion").asInt() >= 39);
  }
}
