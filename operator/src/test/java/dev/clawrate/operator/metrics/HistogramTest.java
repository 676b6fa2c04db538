package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistogramTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  /** 10 observations up to 0.1, 20 more up to 0.5, 60 more up to 1, 10 above 1. */
  private static final Histogram H =
      Histogram.of(Map.of(0.1, 10.0, 0.5, 30.0, 1.0, 90.0, INF, 100.0));

  @Test
  void quantilesInterpolateLinearlyWithinTheirBucket() {
    // rank 50 lies 20 of 60 into (0.5, 1]
    assertEquals(0.5 + 0.5 * 20 / 60, H.quantile(0.5), 1e-12);
    // rank 5 lies half way into the lowest bucket, which starts at 0
    assertEquals(0.05, H.quantile(0.05), 1e-12);
    assertEquals(1.0, H.quantile(0.9), 1e-12);
    assertEquals(0.0, H.quantile(0), 1e-12);
    assertEquals(100, H.count());
  }

  @Test
  void aRankInTheInfBucketIsTheHighestFiniteBound() {
    assertEquals(1.0, H.quantile(0.95));
    assertEquals(1.0, H.quantile(1));
  }

  @Test
  void quantilesOfNothingAreNotANumber() {
    assertTrue(Double.isNaN(Histogram.EMPTY.quantile(0.5)));
    assertTrue(Double.isNaN(Histogram.of(Map.of(1.0, 0.0, INF, 0.0)).quantile(0.5)));
    assertTrue(Double.isNaN(Histogram.of(Map.of(1.0, 3.0, 2.0, 4.0)).quantile(0.5)), "no +Inf");
    assertTrue(Double.isNaN(Histogram.of(Map.of(INF, 4.0)).quantile(0.5)), "no finite bucket");
    assertTrue(Double.isNaN(H.quantile(Double.NaN)));
    assertEquals(Double.NEGATIVE_INFINITY, H.quantile(-0.1));
    assertEquals(INF, H.quantile(1.1));
  }

  @Test
  void aLowestBucketNotAboveZeroIsItsOwnAnswer() {
    Histogram h = Histogram.of(Map.of(-1.0, 5.0, 0.0, 5.0, 10.0, 10.0, INF, 10.0));

    assertEquals(-1.0, h.quantile(0.2));
    assertEquals(5.0, h.quantile(0.75), 1e-12);
  }

  @Test
  void latencyQuantilesOfARatersHistogramMatchHandComputedValues() throws Exception {
    RaterExposition rater = new RaterExposition();
    for (int i = 0; i < 50; i++) {
      rater.request("t", "canary", "ok", 3);
    }
    for (int i = 0; i < 45; i++) {
      rater.request("t", "canary", "ok", 20);
    }
    for (int i = 0; i < 5; i++) {
      rater.request("t", "canary", "model_timeout", 300);
    }
    Histogram latency =
        RaterSamples.from(
                PrometheusText.forRaters().parse(rater.text()).samples(), "canary", Set.of("t"))
            .latencySeconds();

    // rank 95: the 45 in (0.01, 0.025] end there
    assertEquals(0.025, latency.quantile(0.95), 1e-9);
    // rank 99: 4 of the 5 in (0.25, 0.5]
    assertEquals(0.25 + 0.25 * 4 / 5, latency.quantile(0.99), 1e-9);
    // rank 50: all 50 in (0.0025, 0.005]
    assertEquals(0.005, latency.quantile(0.5), 1e-9);
  }

  @Test
  void aBucketBelowTheOneUnderItIsMended() {
    Histogram h = Histogram.of(Map.of(1.0, 5.0, 2.0, 3.0, INF, 6.0));

    assertEquals(Map.of(1.0, 5.0, 2.0, 5.0, INF, 6.0), h.cumulative());
  }

  @Test
  void refusesWhatNoHistogramHolds() {
    assertThrows(IllegalArgumentException.class, () -> Histogram.of(Map.of(1.0, -1.0)));
    assertThrows(IllegalArgumentException.class, () -> Histogram.of(Map.of(1.0, Double.NaN)));
    assertThrows(IllegalArgumentException.class, () -> Histogram.of(Map.of(Double.NaN, 1.0)));
  }

  @Test
  void plusAddsBucketByBucket() {
    Histogram more = Histogram.of(Map.of(0.1, 1.0, 0.5, 2.0, 1.0, 3.0, INF, 4.0));

    assertEquals(Histogram.of(Map.of(0.1, 11.0, 0.5, 32.0, 1.0, 93.0, INF, 104.0)), H.plus(more));
    assertEquals(H, H.plus(Histogram.EMPTY));
  }

  @Test
  void plusOfDifferentLayoutsCountsEachAtItsNearestBoundBelow() {
    Histogram a = Histogram.of(Map.of(1.0, 2.0, INF, 4.0));
    Histogram b = Histogram.of(Map.of(2.0, 1.0, INF, 3.0));

    assertEquals(Histogram.of(Map.of(1.0, 2.0, 2.0, 3.0, INF, 7.0)), a.plus(b));
  }

  @Test
  void minusIsTheIncreaseOfEachBucket() {
    Histogram earlier = Histogram.of(Map.of(0.1, 4.0, 0.5, 10.0, 1.0, 50.0, INF, 55.0));

    Histogram increase = H.minus(earlier);

    assertEquals(Histogram.of(Map.of(0.1, 6.0, 0.5, 20.0, 1.0, 40.0, INF, 45.0)), increase);
    assertFalse(H.fellBelow(earlier));
  }

  @Test
  void aBucketThatFellMeansAResetAndTheIncreaseIsTheCurrentHistogram() {
    Histogram afterRestart = Histogram.of(Map.of(0.1, 3.0, 0.5, 3.0, 1.0, 4.0, INF, 4.0));

    assertTrue(afterRestart.fellBelow(H));
    assertSame(afterRestart, afterRestart.minus(H));
  }

  @Test
  void bucketCountsAreNotCumulative() {
    assertArrayEquals(
        new double[] {10, 20, 60, 10}, H.bucketCounts(new double[] {0.1, 0.5, 1.0, INF}));
    assertArrayEquals(
        new double[] {0.1, 0.5, 0.7, 1.0, INF}, H.bounds(Histogram.of(Map.of(0.7, 1.0))));
  }
}
