package dev.clawrate.operator.metrics;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The PromQL instant queries that read, per pod, what the raters of one track in one namespace
 * report for a set of tenants: one query per figure, each summed over tenants by pod and by the
 * labels the figure needs. Pure: builds text.
 *
 * <p>It assumes the usual Kubernetes scrape setup (PodMonitor, ServiceMonitor, or annotation-based
 * discovery with the common relabelling), where every series carries {@code namespace} and {@code
 * pod} labels and the rater's own labels keep their names. A pod scraped by two jobs would be
 * counted twice.
 */
final class RaterQueries {

  static final String POD = "pod";
  static final String NAMESPACE = "namespace";

  /**
   * One query.
   *
   * @param metric the rater series its results stand for, summed over tenants
   * @param promql the query
   */
  record Query(String metric, String promql) {}

  private RaterQueries() {}

  /**
   * @param tenants tenant ids (checked by {@link ReadArguments}); not empty
   */
  static List<Query> of(String namespace, String track, Set<String> tenants) {
    String tenantMatch = RaterSeries.TENANT + "=~" + string(tenantRegex(tenants));
    String inNamespace = NAMESPACE + "=" + string(namespace);
    String served =
        "{" + inNamespace + "," + RaterSeries.TRACK + "=" + string(track) + "," + tenantMatch + "}";
    String shadowed = "{" + inNamespace + "," + tenantMatch + "}";
    // Shadow series carry no track label: they are kept for the pods that report this track.
    String ofTrackPods =
        " and on ("
            + NAMESPACE
            + ", "
            + POD
            + ") "
            + RaterSeries.CONFIG_REVISION
            + "{"
            + inNamespace
            + ","
            + RaterSeries.TRACK
            + "="
            + string(track)
            + "}";
    return List.of(
        sum(RaterSeries.REQUESTS_COUNT, served, "", RaterSeries.OUTCOME),
        sum(RaterSeries.REQUESTS_BUCKET, served, "", RaterSeries.LE),
        sum(RaterSeries.RATING_BUCKET, served, "", RaterSeries.LE),
        sum(RaterSeries.DECISIONS, served, "", RaterSeries.DECISION),
        sum(RaterSeries.SHADOW_COMPARISONS, shadowed, ofTrackPods, RaterSeries.RESULT),
        sum(RaterSeries.SHADOW_DELTA_SUM, shadowed, ofTrackPods),
        sum(RaterSeries.SHADOW_DELTA_COUNT, shadowed, ofTrackPods),
        sum(
            RaterSeries.SHADOW_RATING_BUCKET,
            shadowed,
            ofTrackPods,
            RaterSeries.VERSION,
            RaterSeries.LE),
        sum(RaterSeries.SHADOW_SKIPPED, shadowed, ofTrackPods));
  }

  /**
   * The queries that read, per pod and tenant, what every rater in a namespace reports for every
   * tenant, summed over tracks, models and digests (a tenant's users see both tracks). No tenant is
   * named: the answers are as large as the namespace's series, bounded by the source.
   */
  static List<Query> perTenant(String namespace) {
    String inNamespace = "{" + NAMESPACE + "=" + string(namespace) + "}";
    return List.of(
        sum(RaterSeries.REQUESTS_COUNT, inNamespace, "", RaterSeries.TENANT, RaterSeries.OUTCOME),
        sum(RaterSeries.REQUESTS_BUCKET, inNamespace, "", RaterSeries.TENANT, RaterSeries.LE),
        sum(RaterSeries.RATING_BUCKET, inNamespace, "", RaterSeries.TENANT, RaterSeries.LE),
        sum(RaterSeries.DECISIONS, inNamespace, "", RaterSeries.TENANT, RaterSeries.DECISION));
  }

  private static Query sum(String metric, String selector, String filter, String... by) {
    StringBuilder labels = new StringBuilder(POD);
    for (String label : by) {
      labels.append(", ").append(label);
    }
    return new Query(metric, "sum by (" + labels + ") (" + metric + selector + filter + ")");
  }

  /** An RE2 alternation matching exactly these ids; a dot is the only metacharacter they hold. */
  static String tenantRegex(Set<String> tenants) {
    return new TreeSet<>(tenants)
        .stream().map(tenant -> tenant.replace(".", "\\.")).collect(Collectors.joining("|"));
  }

  /** A PromQL double-quoted string literal. */
  static String string(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> quoted.append("\\\\");
        case '"' -> quoted.append("\\\"");
        case '\n' -> quoted.append("\\n");
        default -> quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
