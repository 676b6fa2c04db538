package dev.clawrate.operator.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a dashboard's queries read that nothing exports, one line per metric and place. */
final class UnknownMetrics {

  private UnknownMetrics() {}

  static List<String> of(List<DashboardQueries.Query> queries, Set<String> exported) {
    List<String> unknown = new ArrayList<>();
    for (DashboardQueries.Query query : queries) {
      Set<String> names;
      try {
        names = PromQlMetricNames.of(query.expr());
      } catch (IllegalArgumentException e) {
        unknown.add(query.where() + ": " + e.getMessage());
        continue;
      }
      if (names.isEmpty()) {
        unknown.add(query.where() + ": reads no metric");
      }
      for (String name : names) {
        if (!exported.contains(name)) {
          unknown.add(query.where() + ": " + name);
        }
      }
    }
    return unknown;
  }
}
