package dev.clawrate.rater.testing;

import dev.clawrate.rater.metrics.RaterMetrics;
import java.time.Duration;

/**
 * The bucket bounds of {@code clawrate_rate_requests_seconds} as a scrape shows them ({@code le}):
 * the rater's latency buckets in seconds, then {@code +Inf}. Read from the rater, so increments
 * made up by tests and benchmarks cannot drift from what a real rater reports.
 */
public final class LatencyBounds {

  private LatencyBounds() {}

  public static double[] seconds() {
    Duration[] buckets = RaterMetrics.latencyBuckets();
    double[] bounds = new double[buckets.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      bounds[i] = buckets[i].toNanos() / 1e9;
    }
    bounds[buckets.length] = Double.POSITIVE_INFINITY;
    return bounds;
  }
}
