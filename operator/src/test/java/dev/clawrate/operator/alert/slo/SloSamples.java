package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import dev.clawrate.rater.testing.LatencyBounds;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Increments as raters report them, for the SLO tests. */
final class SloSamples {

  /** A whole number of every sub-bucket length the tests use, so that slots start on it. */
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The raters' latency bucket bounds, in seconds. */
  static final double[] RATER_BOUNDS = LatencyBounds.seconds();

  private SloSamples() {}

  /** {@code requests} answered in 10 ms, {@code errors} of them server errors. */
  static RaterSample requests(double requests, double errors) {
    return sample(requests, errors, requests, 0.01, 0, 0);
  }

  /** {@code fast} requests answered in 40 ms and {@code slow} in 80 ms. */
  static RaterSample latency(double fast, double slow) {
    return sample(fast + slow, 0, fast, 0.04, slow, 0.08);
  }

  private static RaterSample sample(
      double requests, double errors, double n1, double at1, double n2, double at2) {
    Map<Double, Double> cumulative = new TreeMap<>();
    for (double bound : RATER_BOUNDS) {
      cumulative.put(bound, (at1 <= bound ? n1 : 0) + (at2 <= bound ? n2 : 0));
    }
    return new RaterSample(
        requests,
        errors,
        0,
        Histogram.of(cumulative),
        Histogram.EMPTY,
        Map.of(),
        ShadowFigures.NONE);
  }
}
