package dev.clawrate.operator.canary;

import dev.clawrate.operator.metrics.Histogram;

/**
 * The population stability index (PSI) of two distributions given as histograms: how far the shares
 * of their buckets moved.
 *
 * <pre>PSI = Σ over buckets (a − e) · ln(a / e)</pre>
 *
 * where a and e are the bucket's share of each histogram's observations, a share of 0 counting as
 * {@link #EPSILON} so an empty bucket does not make it infinite. It is symmetric and 0 for
 * identical shares. The usual reading: below 0.1 no significant change, 0.1 to 0.25 a moderate
 * change, above 0.25 a significant shift; a limit of 0.25 fails a canary whose ratings shifted
 * significantly.
 *
 * <p>Buckets are the union of both histograms' bounds (the raters' rating buckets are the same on
 * both sides); the +Inf bucket is one of them.
 */
public final class PopulationStability {

  /** The share an empty bucket counts as. */
  public static final double EPSILON = 1e-4;

  private PopulationStability() {}

  /**
   * @return the index, or NaN when either histogram has no observations
   */
  public static double index(Histogram actual, Histogram expected) {
    double actualCount = actual.count();
    double expectedCount = expected.count();
    if (actualCount <= 0 || expectedCount <= 0) {
      return Double.NaN;
    }
    double[] bounds = actual.bounds(expected);
    double[] actualBuckets = actual.bucketCounts(bounds);
    double[] expectedBuckets = expected.bucketCounts(bounds);
    double index = 0;
    for (int i = 0; i < bounds.length; i++) {
      double a = Math.max(actualBuckets[i] / actualCount, EPSILON);
      double e = Math.max(expectedBuckets[i] / expectedCount, EPSILON);
      index += (a - e) * Math.log(a / e);
    }
    return index;
  }
}
