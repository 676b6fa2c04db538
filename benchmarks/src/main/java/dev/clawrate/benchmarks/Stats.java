package dev.clawrate.benchmarks;

import java.util.Arrays;

/** Percentiles of a set of measurements, nearest-rank. */
final class Stats {

  private Stats() {}

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String summary(double[] millis) {
    return String.format(
        "n=%d min=%.1f p50=%.1f p90=%.1f p99=%.1f max=%.1f ms",
        millis.length,
        percentile(millis, 0),
        percentile(millis, 50),
        percentile(millis, 90),
        percentile(millis, 99),
        percentile(millis, 100));
  }
}
