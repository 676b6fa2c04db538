package dev.clawrate.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawrate.rater.testing.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The objects {@code helm template} renders from charts/clawrate, as JSON trees, in the order Helm
 * prints them.
 */
public record RenderedChart(List<JsonNode> objects) {

  static final String RELEASE = "clawrate";
  static final String NAMESPACE = "clawrate-system";
  static final Duration HELM_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Path chart() {
    return Path.of(System.getProperty("clawrate.charts.dir", "../charts"), "clawrate")
        .toAbsolutePath()
        .normalize();
  }

  static Path fullValues() {
    return chart().resolve("ci/full-values.yaml");
  }

  /** The chart with its default values. */
  static RenderedChart defaults() {
    return render();
  }

  /** The chart with every option on. */
  public static RenderedChart full() {
    return render("-f", fullValues().toString());
  }

  /** {@code helm template} with these extra arguments; fails the test unless it succeeds. */
  static RenderedChart render(String... extraArgs) {
    List<String> args = new ArrayList<>(templateArgs());
    args.addAll(List.of(extraArgs));
    String out =
        ExternalTool.find("helm")
            .succeed(chart(), HELM_TIMEOUT, args.toArray(String[]::new))
            .stdout();
    return new RenderedChart(parse(out));
  }

  static List<String> templateArgs() {
    return List.of("template", RELEASE, chart().toString(), "--namespace", NAMESPACE);
  }

  static List<JsonNode> parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  Stream<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
  }

  /** The one object of this kind and name; fails the test if there is none. */
  public JsonNode get(String kind, String name) {
    return ofKind(kind)
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }

  boolean has(String kind) {
    return ofKind(kind).findAny().isPresent();
  }

  /** Every pod template: those of the Deployments. */
  Stream<JsonNode> podTemplates() {
    return ofKind("Deployment").map(d -> d.path("spec").path("template"));
  }
}
