package dev.clawrate.operator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL query of a Grafana dashboard: each panel's targets (rows' nested panels included)
 * and each query variable's, with where it is.
 */
final class DashboardQueries {

  /** A query and where it is, e.g. {@code panel 'Ratings/s' (A)}. */
  record Query(String where, String expr) {}

  // Grafana's Prometheus variable functions: label_values(selector, label) reads the selector's
  // metric; label_values(label), label_names() and metrics(regex) read no particular metric.
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern NO_METRIC =
      Pattern.compile(
          "^\\s*(label_values\\(\\s*\\w+\\s*\\)|label_names\\(.*\\)|metrics\\(.*\\))\\s*$",
          Pattern.DOTALL);

  private DashboardQueries() {}

  static List<Query> of(JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    panels(dashboard.path("panels"), queries);
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!variable.path("type").asText().equals("query")) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText() : query.asText();
      String expr = variableExpr(text);
      if (expr != null) {
        queries.add(new Query("variable '" + variable.path("name").asText() + "'", expr));
      }
    }
    return queries;
  }

  private static void panels(JsonNode panels, List<Query> queries) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.has("expr")) {
          queries.add(
              new Query(
                  "panel '"
                      + panel.path("title").asText()
                      + "' ("
                      + target.path("refId").asText()
                      + ")",
                  target.get("expr").asText()));
        }
      }
      panels(panel.path("panels"), queries);
    }
  }

  /** The PromQL a variable's query runs, or null when it reads no particular metric. */
  private static String variableExpr(String text) {
    if (NO_METRIC.matcher(text).matches()) {
      return null;
    }
    Matcher labelValues = LABEL_VALUES.matcher(text);
    if (labelValues.matches()) {
      return labelValues.group(1);
    }
    Matcher queryResult = QUERY_RESULT.matcher(text);
    return queryResult.matches() ? queryResult.group(1) : text;
  }
}
