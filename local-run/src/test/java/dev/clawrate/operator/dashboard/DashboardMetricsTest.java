package dev.clawrate.operator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.chart.RenderedChart;
import dev.clawrate.rater.testing.ExternalTool;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard's queries read is one clawrate really exports, under its
 * Prometheus name: checked against what a real operator and real raters serve on {@code /metrics}
 * once the scenario a dashboard is for has happened ({@link ObservedWorld}: ratings, a fallback, a
 * snapshot reload, a release under way with shadow samples), so that series registered only once
 * their event happens are there too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardMetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path stateDir;
  private ObservedWorld world;
  private Set<String> exported;

  static Path dashboard() {
    return ExternalTool.repositoryRoot().resolve("charts/clawrate/dashboards/clawrate.json");
  }

  @BeforeAll
  void observe() throws Exception {
    world = new ObservedWorld(stateDir);
    world.happen();
    Await.until(
        "the operator exports the release's weight per region",
        Duration.ofSeconds(60),
        () -> world.operatorMetrics().contains("clawrate_operator_canary_weight{"));
    Await.until(
        "the stable rater compares shadow samples and counts fallback answers",
        Duration.ofSeconds(60),
        () -> {
          world.rate(ObservedWorld.TENANT);
          world.rate(ObservedWorld.FALLBACK_TENANT);
          String stable = world.raterMetrics().get(0);
          return stable.contains("clawrate_shadow_comparisons_total{")
              && stable.contains("clawrate_rate_fallbacks_total{");
        });
    exported = new TreeSet<>(ExportedMetrics.of(world.operatorMetrics()));
    world.raterMetrics().forEach(scrape -> exported.addAll(ExportedMetrics.of(scrape)));
    exported.addAll(ExportedMetrics.of(failedReconcileExposition()));
  }

  /**
   * java-operator-sdk registers {@code operator_sdk_reconciliations_failed_total} only when a
   * reconcile throws, which none of the world's does (clawrate reports problems in conditions and
   * Events). It is registered here by the same MicrometerMetrics, of the same version, that the
   * operator installs, given one failure, so the dashboard's name is the one the library writes.
   */
  private static String failedReconcileExposition() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").build());
    MicrometerMetrics.withoutPerResourceMetrics(registry)
        .failedReconciliation(model, new IllegalStateException("boom"), Map.of());
    return registry.scrape();
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static JsonNode readDashboard() throws IOException {
    return JSON.readTree(Files.readString(dashboard()));
  }

  /** An empty HELP reads as an undocumented metric in Prometheus' UI and in Grafana. */
  @Test
  void everyFamilyTheOperatorAndTheRatersExportHasAHelpText() {
    List<String> scrapes = new java.util.ArrayList<>(world.raterMetrics());
    scrapes.add(world.operatorMetrics());
    Set<String> empty = new TreeSet<>();
    int families = 0;
    for (String scrape : scrapes) {
      for (String line : scrape.split("\n")) {
        if (line.startsWith("# HELP ")) {
          families++;
          String[] parts = line.split(" ", 4);
          if (parts.length < 4 || parts[3].isBlank()) {
            empty.add(parts[2]);
          }
        }
      }
    }
    assertTrue(families > 50, "only " + families + " families");
    assertEquals(Set.of(), empty, "families without a HELP text");
  }

  @Test
  void everyMetricTheDashboardReadsIsExported() throws IOException {
    List<DashboardQueries.Query> queries = DashboardQueries.of(readDashboard());

    assertEquals(List.of(), UnknownMetrics.of(queries, exported), "exported: " + exported);
    Set<String> read = new HashSet<>();
    queries.forEach(query -> read.addAll(PromQlMetricNames.of(query.expr())));
    // What the brief asks the dashboard to show, so a check that found nothing cannot pass.
    assertTrue(
        read.containsAll(
            List.of(
                "clawrate_rate_requests_seconds_count",
                "clawrate_rate_requests_seconds_bucket",
                "clawrate_rate_decisions_total",
                "clawrate_rate_fallbacks_total",
                "clawrate_config_reloads_total",
                "clawrate_config_revision",
                "clawrate_operator_snapshot_revision",
                "clawrate_operator_canary_weight",
                "clawrate_operator_canary_phase",
                "clawrate_operator_notifications_total",
                "operator_sdk_reconciliations_started_total",
                "operator_sdk_reconciliations_failed_total")),
        "the dashboard reads " + read);
  }

  /**
   * The Helm chart's PrometheusRule alerts on the same series: an alert on a name nobody exports
   * would never fire. {@code up} is Prometheus' own, written for every scrape target.
   */
  @Test
  void everyMetricTheChartsAlertsReadIsExported() {
    JsonNode rule = RenderedChart.full().get("PrometheusRule", "clawrate");
    List<DashboardQueries.Query> alerts = new ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode alert : group.path("rules")) {
        alerts.add(
            new DashboardQueries.Query(
                "alert " + alert.path("alert").asText(), alert.path("expr").asText()));
      }
    }
    assertTrue(alerts.size() >= 4, "the rule holds " + alerts);
    Set<String> scraped = new TreeSet<>(exported);
    scraped.add("up");
    assertEquals(List.of(), UnknownMetrics.of(alerts, scraped), "exported: " + exported);
  }

  @Test
  void aMetricNobodyExportsIsReportedWithItsPanel() throws IOException {
    ObjectNode copy = (ObjectNode) readDashboard();
    ObjectNode madeUp = ((ArrayNode) copy.get("panels")).addObject();
    madeUp.put("title", "Made up");
    madeUp
        .putArray("targets")
        .addObject()
        .put("refId", "A")
        .put(
            "expr", "sum by (tenant) (rate(clawrate_rate_made_up_total{tenant=~\"$tenant\"}[5m]))");
    // A real name with a typo, in a panel nested in a collapsed row.
    ObjectNode row = ((ArrayNode) copy.get("panels")).addObject();
    row.put("type", "row").put("title", "Collapsed");
    ObjectNode nested = row.putArray("panels").addObject();
    nested.put("title", "Typo");
    nested.putArray("targets").addObject().put("refId", "B").put("expr", "clawrate_config_revison");

    assertEquals(
        List.of(
            "panel 'Made up' (A): clawrate_rate_made_up_total",
            "panel 'Typo' (B): clawrate_config_revison"),
        UnknownMetrics.of(DashboardQueries.of(copy), exported));
  }

  @Test
  void aVariableReadingAnUnknownMetricIsReported() throws IOException {
    ObjectNode copy = (ObjectNode) readDashboard();
    ObjectNode variable = ((ArrayNode) copy.path("templating").path("list")).addObject();
    variable.put("name", "made_up").put("type", "query");
    variable.putObject("query").put("query", "label_values(clawrate_made_up{a=\"b\"}, region)");

    assertEquals(
        List.of("variable 'made_up': clawrate_made_up"),
        UnknownMetrics.of(DashboardQueries.of(copy), exported));
  }
}
