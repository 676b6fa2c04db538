package dev.clawrate.operator.metrics;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;

/**
 * A Prometheus classic histogram: upper bound ({@code le}) to the cumulative count of observations
 * at or below it, the last bound normally {@code +Inf}.
 *
 * <p>Counts are never negative, and cumulative counts never fall from one bucket to the next: a
 * histogram read in the middle of its update may show that, and it is mended as {@code
 * histogram_quantile} mends it, each bucket at least the one below.
 *
 * <p>Two histograms with different bucket layouts combine over the union of their bounds, each
 * counting at a bound it lacks what its nearest bound below holds: exact for the same layout, and
 * an estimate that stays a histogram otherwise.
 *
 * @param cumulative upper bound to cumulative count, ascending
 */
public record Histogram(NavigableMap<Double, Double> cumulative) {

  public static final Histogram EMPTY = new Histogram(new TreeMap<>());

  public Histogram {
    // Copied from a sorted map, which is linear, then mended in place: the SLO evaluator builds two
    // histograms per tenant and rater instance, tens of thousands per read.
    TreeMap<Double, Double> mended = new TreeMap<>(cumulative);
    if (mended.comparator() != null) {
      mended = new TreeMap<>();
      mended.putAll(cumulative);
    }
    double previous = 0;
    for (Map.Entry<Double, Double> bucket : mended.entrySet()) {
      if (bucket.getKey().isNaN()) {
        throw new IllegalArgumentException("a histogram bound is NaN");
      }
      double count = bucket.getValue();
      if (!Double.isFinite(count) || count < 0) {
        throw new IllegalArgumentException("a histogram count must be finite and not negative");
      }
      if (count < previous) {
        bucket.setValue(previous);
      }
      previous = Math.max(previous, count);
    }
    cumulative = Collections.unmodifiableNavigableMap(mended);
  }

  /** A histogram of upper bounds to cumulative counts. */
  public static Histogram of(Map<Double, Double> cumulative) {
    return new Histogram(new TreeMap<>(cumulative));
  }

  /** The number of observations: the count of the highest bucket ({@code +Inf}). */
  public double count() {
    return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /** Observations at or below {@code le}, as far as this histogram's buckets tell. */
  public double cumulativeAt(double le) {
    Map.Entry<Double, Double> bucket = cumulative.floorEntry(le);
    return bucket == null ? 0 : bucket.getValue();
  }

  /**
   * The q-quantile as PromQL's {@code histogram_quantile} computes it: the bucket the rank {@code q
   * * count} falls in, and linear interpolation between its lower and upper bound (the lowest
   * bucket's lower bound is 0, unless its upper bound is not above 0, which is then the answer).
   *
   * <p><b>The +Inf bucket.</b> When the rank falls in it, the answer is the highest finite bound:
   * the histogram cannot tell how far above it those observations are. A p99 of rater latency
   * beyond the last bucket thus reads as that bucket's bound (10 s): below the truth, but above any
   * sensible limit.
   *
   * @return NaN when there are no observations, no {@code +Inf} bucket or no finite bucket; -Inf
   *     for q below 0 and +Inf above 1, as {@code histogram_quantile}
   */
  public double quantile(double q) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (cumulative.size() < 2 || cumulative.lastKey() != Double.POSITIVE_INFINITY || count() == 0) {
      return Double.NaN;
    }
    double rank = q * count();
    double lowerBound = 0;
    double countBelow = 0;
    boolean lowest = true;
    for (Map.Entry<Double, Double> bucket :
        cumulative.headMap(Double.POSITIVE_INFINITY).entrySet()) {
      double upperBound = bucket.getKey();
      double countAtOrBelow = bucket.getValue();
      if (countAtOrBelow >= rank) {
        if (lowest && upperBound <= 0) {
          return upperBound;
        }
        double inBucket = countAtOrBelow - countBelow;
        if (inBucket == 0) {
          return lowerBound;
        }
        return lowerBound + (upperBound - lowerBound) * ((rank - countBelow) / inBucket);
      }
      lowerBound = upperBound;
      countBelow = countAtOrBelow;
      lowest = false;
    }
    return cumulative.lowerKey(Double.POSITIVE_INFINITY);
  }

  /** Both histograms' observations together. */
  public Histogram plus(Histogram other) {
    if (sameBounds(other)) {
      return new Histogram(combined(other, Double::sum));
    }
    TreeMap<Double, Double> sum = new TreeMap<>();
    for (double le : bounds(other)) {
      sum.put(le, cumulativeAt(le) + other.cumulativeAt(le));
    }
    return new Histogram(sum);
  }

  /**
   * The observations made since {@code earlier}. When a bucket fell below what it was, the
   * histogram was reset in between (its process restarted), and all it holds is new: the increase
   * is this histogram as it is, as Prometheus's {@code increase()} treats a reset.
   */
  public Histogram minus(Histogram earlier) {
    if (fellBelow(earlier)) {
      return this;
    }
    if (sameBounds(earlier)) {
      return new Histogram(combined(earlier, (now, then) -> Math.max(0, now - then)));
    }
    TreeMap<Double, Double> increase = new TreeMap<>();
    for (double le : bounds(earlier)) {
      increase.put(le, Math.max(0, cumulativeAt(le) - earlier.cumulativeAt(le)));
    }
    return new Histogram(increase);
  }

  /** Whether some bucket holds less than it did in {@code earlier}: a reset in between. */
  public boolean fellBelow(Histogram earlier) {
    if (sameBounds(earlier)) {
      Iterator<Double> then = earlier.cumulative.values().iterator();
      for (double now : cumulative.values()) {
        if (now < then.next()) {
          return true;
        }
      }
      return false;
    }
    for (Map.Entry<Double, Double> bucket : earlier.cumulative.entrySet()) {
      if (cumulativeAt(bucket.getKey()) < bucket.getValue()) {
        return true;
      }
    }
    return false;
  }

  /** The number of observations in each bucket of the given bounds (not cumulative). */
  public double[] bucketCounts(double[] bounds) {
    double[] counts = new double[bounds.length];
    double below = 0;
    for (int i = 0; i < bounds.length; i++) {
      double atOrBelow = cumulativeAt(bounds[i]);
      counts[i] = atOrBelow - below;
      below = atOrBelow;
    }
    return counts;
  }

  /**
   * Whether both have the same bounds: histograms of one series always do, and then they combine
   * bucket by bucket in one pass (the SLO evaluator combines tens of thousands per round).
   */
  private boolean sameBounds(Histogram other) {
    if (cumulative.size() != other.cumulative.size()) {
      return false;
    }
    Iterator<Double> theirs = other.cumulative.keySet().iterator();
    for (Double bound : cumulative.keySet()) {
      if (!bound.equals(theirs.next())) {
        return false;
      }
    }
    return true;
  }

  /** Bucket by bucket, for histograms of the same bounds: a sorted copy built in linear time. */
  private TreeMap<Double, Double> combined(Histogram other, DoubleBinaryOperator how) {
    TreeMap<Double, Double> result = new TreeMap<>(cumulative);
    Iterator<Double> theirs = other.cumulative.values().iterator();
    for (Map.Entry<Double, Double> bucket : result.entrySet()) {
      bucket.setValue(how.applyAsDouble(bucket.getValue(), theirs.next()));
    }
    return result;
  }

  /** The union of both histograms' bounds, ascending. */
  public double[] bounds(Histogram other) {
    TreeSet<Double> bounds = new TreeSet<>(cumulative.keySet());
    bounds.addAll(other.cumulative.keySet());
    return bounds.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
