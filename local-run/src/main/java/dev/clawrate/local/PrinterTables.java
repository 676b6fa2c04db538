package dev.clawrate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real API server answers {@code kubectl get} with for a custom resource: a {@code
 * meta.k8s.io/v1} Table whose columns are the CRD's additionalPrinterColumns. Pure. Evaluates the
 * JSONPath forms printer columns use ({@code .a.b} and {@code .a[?(@.k=="v")].b}); a path that
 * finds nothing is an empty cell, as on a real server.
 */
final class PrinterTables {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern PATH =
      Pattern.compile(
          "((?:\\.[A-Za-z0-9_]+)+)(?:\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)\\]"
              + "((?:\\.[A-Za-z0-9_]+)+))?");

  private PrinterTables() {}

  /** Each CRD's printer columns of its served version, by plural resource name. */
  static Map<String, List<CustomResourceColumnDefinition>> columns(
      List<CustomResourceDefinition> crds) {
    Map<String, List<CustomResourceColumnDefinition>> columns = new HashMap<>();
    for (CustomResourceDefinition crd : crds) {
      crd.getSpec().getVersions().stream()
          .filter(v -> Boolean.TRUE.equals(v.getServed()))
          .findFirst()
          .ifPresent(
              version ->
                  columns.put(
                      crd.getSpec().getNames().getPlural(),
                      version.getAdditionalPrinterColumns() == null
                          ? List.of()
                          : List.copyOf(version.getAdditionalPrinterColumns())));
    }
    return columns;
  }

  /**
   * @param answer a list (with {@code items}) or a single object, as the API server stores it
   * @param now what ages are counted to
   */
  static ObjectNode table(
      JsonNode answer, List<CustomResourceColumnDefinition> columns, Instant now) {
    ObjectNode table = JSON.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (answer.path("metadata").has("resourceVersion")) {
      metadata.set("resourceVersion", answer.path("metadata").get("resourceVersion"));
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "Name of the resource")
        .put("priority", 0);
    for (CustomResourceColumnDefinition column : columns) {
      definitions
          .addObject()
          .put("name", column.getName())
          .put("type", column.getType())
          .put("format", column.getFormat() == null ? "" : column.getFormat())
          .put("description", column.getDescription() == null ? "" : column.getDescription())
          .put("priority", column.getPriority() == null ? 0 : column.getPriority());
    }
    List<JsonNode> items = new ArrayList<>();
    if (answer.has("items")) {
      answer.get("items").forEach(items::add);
    } else {
      items.add(answer);
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition column : columns) {
        cells.add(cell(item, column, now));
      }
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata");
      object.put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", item.path("metadata").deepCopy());
    }
    return table;
  }

  private static JsonNode cell(JsonNode item, CustomResourceColumnDefinition column, Instant now) {
    JsonNode value = evaluate(item, column.getJsonPath());
    if (value == null || value.isNull() || value.isMissingNode()) {
      return JSON.nullNode();
    }
    if ("date".equals(column.getType())) {
      return JSON.textNode(age(value.asText(), now));
    }
    return value.isContainerNode() ? JSON.textNode(value.toString()) : value;
  }

  /** The value at a printer column's path, or null. */
  static JsonNode evaluate(JsonNode item, String path) {
    Matcher matcher = PATH.matcher(path);
    if (!matcher.matches()) {
      return null;
    }
    JsonNode node = walk(item, matcher.group(1));
    if (matcher.group(2) == null) {
      return node;
    }
    if (node == null || !node.isArray()) {
      return null;
    }
    for (JsonNode element : node) {
      if (matcher.group(3).equals(element.path(matcher.group(2)).asText(null))) {
        return walk(element, matcher.group(4));
      }
    }
    return null;
  }

  private static JsonNode walk(JsonNode node, String dotted) {
    JsonNode current = node;
    for (String field : dotted.substring(1).split("\\.")) {
      current = current == null ? null : current.get(field);
    }
    return current;
  }

  /** How kubectl shows an age: the largest unit or two, e.g. 45s, 3m12s, 5h, 2d. */
  static String age(String timestamp, Instant now) {
    try {
      Duration age = Duration.between(Instant.parse(timestamp), now);
      long seconds = Math.max(0, age.getSeconds());
      if (seconds < 120) {
        return seconds + "s";
      }
      if (seconds < 600) {
        return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
      }
      if (seconds < 3 * 3600) {
        return seconds / 60 + "m";
      }
      if (seconds < 48 * 3600) {
        return seconds / 3600 + "h";
      }
      return seconds / 86_400 + "d";
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }
}
