package dev.clawrate.operator.argocd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawrate.rater.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * argocd/application.yaml installs the chart of this repository with values its schema accepts, and
 * its ignoreDifferences names the route the chart renders, at the weights a CanaryRelease moves.
 */
class ApplicationTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path work;

  @Test
  void theChartApplicationRendersAndIgnoresTheRouteWeights() throws IOException {
    Path root = ExternalTool.repositoryRoot();
    List<JsonNode> applications;
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class)
            .readValues(root.resolve("argocd/application.yaml").toFile())) {
      applications = docs.readAll();
    }
    JsonNode chartApp = applications.get(0).path("spec");
    Path chart = root.resolve(chartApp.path("source").path("path").asText());
    assertTrue(Files.isRegularFile(chart.resolve("Chart.yaml")), chart.toString());
    Path values = work.resolve("values.yaml");
    YAML.writeValue(values.toFile(), chartApp.path("source").path("helm").path("valuesObject"));
    String namespace = chartApp.path("destination").path("namespace").asText();
    String rendered =
        ExternalTool.find("helm")
            .succeed(
                chart,
                Duration.ofSeconds(60),
                "template",
                chartApp.path("source").path("helm").path("releaseName").asText(),
                chart.toString(),
                "--namespace",
                namespace,
                "-f",
                values.toString())
            .stdout();
    JsonNode route = null;
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(rendered)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && "HTTPRoute".equals(doc.path("kind").asText())) {
          route = doc;
        }
      }
    }
    assertTrue(route != null, "the Application's values render the HTTPRoute");
    JsonNode ignored = chartApp.path("ignoreDifferences").get(0);
    assertEquals("gateway.networking.k8s.io", ignored.path("group").asText());
    assertEquals(route.path("kind").asText(), ignored.path("kind").asText());
    assertEquals(route.path("metadata").path("name").asText(), ignored.path("name").asText());
    assertEquals(namespace, ignored.path("namespace").asText());
    String expression = ignored.path("jqPathExpressions").get(0).asText();
    assertTrue(expression.startsWith(".spec.rules[].backendRefs[] | select("), expression);
    assertTrue(expression.endsWith(" | .weight"), expression);
    for (JsonNode ref : route.path("spec").path("rules").get(0).path("backendRefs")) {
      assertTrue(
          expression.contains(".name == \"" + ref.path("name").asText() + "\""),
          "the expression selects the backendRef " + ref.path("name").asText());
      assertTrue(
          ref.has("weight"), "the weights the expression ignores are where the chart puts them");
    }
    assertTrue(
        chartApp
            .path("syncPolicy")
            .path("syncOptions")
            .toString()
            .contains("RespectIgnoreDifferences=true"),
        "a sync must not write the ignored weights back");
  }
}
