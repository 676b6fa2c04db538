package dev.clawrate.operator.metrics;

/**
 * The rater series the operator reads (design contract 4), by their Prometheus names as a rater
 * exposes them (micrometer's names with units and suffixes; see the rater's {@code MetricNames}).
 */
public final class RaterSeries {

  public static final String PREFIX = "clawrate_";

  /** Requests by tenant, model, track and outcome; {@code _count} counts them. */
  public static final String REQUESTS_COUNT = "clawrate_rate_requests_seconds_count";

  /** Request latency in seconds, cumulative by {@code le}. */
  public static final String REQUESTS_BUCKET = "clawrate_rate_requests_seconds_bucket";

  /** Ratings of the tenant's own model by tenant, model and track, cumulative by {@code le}. */
  public static final String RATING_BUCKET = "clawrate_rating_value_bucket";

  /** Decisions by tenant, model, track and decision. */
  public static final String DECISIONS = "clawrate_rate_decisions_total";

  /** Stable raters only: shadow comparisons by tenant, model and result. */
  public static final String SHADOW_COMPARISONS = "clawrate_shadow_comparisons_total";

  /**
   * Stable raters only: the difference between the candidate's rating and the live one's, by tenant
   * and model. Its sum need not only grow.
   */
  public static final String SHADOW_DELTA_SUM = "clawrate_shadow_rating_delta_sum";

  public static final String SHADOW_DELTA_COUNT = "clawrate_shadow_rating_delta_count";

  /** Stable raters only: shadowed ratings by tenant, model and version, cumulative by le. */
  public static final String SHADOW_RATING_BUCKET = "clawrate_shadow_rating_value_bucket";

  /** Stable raters only: requests not shadowed, by tenant, model and reason. */
  public static final String SHADOW_SKIPPED = "clawrate_shadow_skipped_total";

  /**
   * A gauge every rater with a live snapshot has, by track: the Prometheus source tells the pods of
   * a track by it for the shadow series, which carry no track label.
   */
  public static final String CONFIG_REVISION = "clawrate_config_revision";

  public static final String TENANT = "tenant";
  public static final String TRACK = "track";
  public static final String OUTCOME = "outcome";
  public static final String LE = "le";
  public static final String DECISION = "decision";
  public static final String RESULT = "result";
  public static final String VERSION = "version";

  public static final String OUTCOME_FALLBACK = "fallback";
  public static final String RESULT_AGREE = "agree";
  public static final String RESULT_FLIP = "flip";
  public static final String RESULT_CANDIDATE_ERROR = "candidate_error";
  public static final String VERSION_LIVE = "live";
  public static final String VERSION_CANDIDATE = "candidate";

  private RaterSeries() {}

  /** Whether a metric is one of the raters' own ({@code clawrate_*}), not the JVM's. */
  public static boolean isRaterMetric(String name) {
    return name.startsWith(PREFIX);
  }
}
