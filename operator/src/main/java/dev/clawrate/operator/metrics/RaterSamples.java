package dev.clawrate.operator.metrics;

import dev.clawrate.rater.rating.Outcome;
import dev.clawrate.rater.snapshot.TenantFallback;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds and combines {@link RaterSample}s. Pure: no I/O. */
public final class RaterSamples {

  private static final Map<String, Outcome> OUTCOMES = new HashMap<>();

  static {
    for (Outcome outcome : Outcome.values()) {
      OUTCOMES.put(outcome.label(), outcome);
    }
  }

  private RaterSamples() {}

  /**
   * What one instance's samples say of the given tenants on one track: series whose {@code tenant}
   * label is one of {@code tenants} and, for the request and rating series, whose {@code track}
   * label is {@code track}. The shadow series carry no track label (only stable raters shadow) and
   * are taken whatever the track. No tenants select nothing.
   *
   * <p>Samples that no counter can hold (negative, NaN, infinite) and buckets whose {@code le} is
   * not a number are left out; so are outcomes, results and versions this operator does not know,
   * except that an unknown outcome still counts as a request.
   */
  public static RaterSample from(
      Collection<MetricSample> samples, String track, Set<String> tenants) {
    Accumulator sum = new Accumulator();
    for (MetricSample sample : samples) {
      if (!tenants.contains(sample.label(RaterSeries.TENANT))) {
        continue;
      }
      if (isShadowSeries(sample.name()) || track.equals(sample.label(RaterSeries.TRACK))) {
        sum.add(sample);
      }
    }
    return sum.toSample();
  }

  /**
   * What the samples say, every one of them counted: for series already selected and summed over
   * tenants elsewhere (by a Prometheus query).
   */
  static RaterSample summarize(Collection<MetricSample> samples) {
    Accumulator sum = new Accumulator();
    samples.forEach(sum::add);
    return sum.toSample();
  }

  /** The samples together: several instances, or several regions. */
  public static RaterSample sum(Collection<RaterSample> samples) {
    RaterSample sum = RaterSample.EMPTY;
    for (RaterSample sample : samples) {
      sum = sum.plus(sample);
    }
    return sum;
  }

  /**
   * The increase over all instances between two reads of the same region, track and tenants, by
   * instance: an instance in both gives {@link RaterSample#minus}, one that is new gives all it
   * reports (its counters started at zero since), and one that is gone gives nothing more.
   */
  public static RaterSample increase(
      Map<String, RaterSample> now, Map<String, RaterSample> before) {
    RaterSample sum = RaterSample.EMPTY;
    for (Map.Entry<String, RaterSample> instance : now.entrySet()) {
      RaterSample earlier = before.get(instance.getKey());
      sum = sum.plus(earlier == null ? instance.getValue() : instance.getValue().minus(earlier));
    }
    return sum;
  }

  private static boolean isShadowSeries(String name) {
    return name.equals(RaterSeries.SHADOW_COMPARISONS)
        || name.equals(RaterSeries.SHADOW_DELTA_SUM)
        || name.equals(RaterSeries.SHADOW_DELTA_COUNT)
        || name.equals(RaterSeries.SHADOW_RATING_BUCKET)
        || name.equals(RaterSeries.SHADOW_SKIPPED);
  }

  /** Sums samples into the figures of one {@link RaterSample}; used by one thread, then dropped. */
  private static final class Accumulator {
    private double requests;
    private double serverErrors;
    private double fallbacks;
    private final Map<Double, Double> latency = new TreeMap<>();
    private final Map<Double, Double> ratings = new TreeMap<>();
    private final Map<String, Double> decisions = new HashMap<>();
    private double agree;
    private double flip;
    private double candidateError;
    private double skipped;
    private double deltaSum;
    private double deltaCount;
    private final Map<Double, Double> liveRatings = new TreeMap<>();
    private final Map<Double, Double> candidateRatings = new TreeMap<>();

    void add(MetricSample sample) {
      double value = sample.value();
      if (sample.name().equals(RaterSeries.SHADOW_DELTA_SUM)) {
        if (Double.isFinite(value)) {
          deltaSum += value;
        }
        return;
      }
      if (!Double.isFinite(value) || value < 0) {
        return;
      }
      switch (sample.name()) {
        case RaterSeries.REQUESTS_COUNT -> addRequests(sample.label(RaterSeries.OUTCOME), value);
        case RaterSeries.REQUESTS_BUCKET -> addBucket(latency, sample, value);
        case RaterSeries.RATING_BUCKET -> addBucket(ratings, sample, value);
        case RaterSeries.DECISIONS -> addDecision(sample.label(RaterSeries.DECISION), value);
        case RaterSeries.SHADOW_COMPARISONS ->
            addComparison(sample.label(RaterSeries.RESULT), value);
        case RaterSeries.SHADOW_DELTA_COUNT -> deltaCount += value;
        case RaterSeries.SHADOW_SKIPPED -> skipped += value;
        case RaterSeries.SHADOW_RATING_BUCKET -> {
          String version = sample.label(RaterSeries.VERSION);
          if (version.equals(RaterSeries.VERSION_LIVE)) {
            addBucket(liveRatings, sample, value);
          } else if (version.equals(RaterSeries.VERSION_CANDIDATE)) {
            addBucket(candidateRatings, sample, value);
          }
        }
        default -> {}
      }
    }

    private void addRequests(String outcomeLabel, double value) {
      requests += value;
      Outcome outcome = OUTCOMES.get(outcomeLabel);
      if (outcome == Outcome.FALLBACK) {
        fallbacks += value;
      } else if (outcome != null && outcome.isServerError()) {
        serverErrors += value;
      }
    }

    private void addDecision(String decision, double value) {
      // Decisions are short lowercase words (contract 2); anything else is not one to keep.
      if (TenantFallback.DECISION.matcher(decision).matches()) {
        decisions.merge(decision, value, Double::sum);
      }
    }

    private void addComparison(String result, double value) {
      switch (result) {
        case RaterSeries.RESULT_AGREE -> agree += value;
        case RaterSeries.RESULT_FLIP -> flip += value;
        case RaterSeries.RESULT_CANDIDATE_ERROR -> candidateError += value;
        default -> {}
      }
    }

    private static void addBucket(Map<Double, Double> buckets, MetricSample sample, double value) {
      double le;
      try {
        le = PrometheusText.parseValue(sample.label(RaterSeries.LE));
      } catch (NumberFormatException e) {
        return;
      }
      if (!Double.isNaN(le)) {
        buckets.merge(le, value, Double::sum);
      }
    }

    RaterSample toSample() {
      return new RaterSample(
          requests,
          serverErrors,
          fallbacks,
          Histogram.of(latency),
          Histogram.of(ratings),
          decisions,
          new ShadowFigures(
              agree,
              flip,
              candidateError,
              skipped,
              deltaSum,
              deltaCount,
              Histogram.of(liveRatings),
              Histogram.of(candidateRatings)));
    }
  }
}
