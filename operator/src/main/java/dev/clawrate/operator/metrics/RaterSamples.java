package dev.clawrate.operator.metrics;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.contract.snapshot.TenantFallback;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Builds and combines {@link RaterSample}s. Pure: no I/O. */
public final class RaterSamples {

  private static final Map<String, Outcome> OUTCOMES = new HashMap<>();

  static {
    for (Outcome outcome : Outcome.values()) {
      OUTCOMES.put(outcome.label(), outcome);
    }
  }

  /**
   * The most tenants one instance's read holds, ten times the tenants a region is built for: a
   * tenant's figures take some 3 KB while read, so this bounds a read's memory at some 300 MB.
   */
  static final int MAX_TENANTS = 100_000;

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
    InstanceSummary<RaterSample> summary = ofTrack(track, tenants);
    samples.forEach(summary);
    return summary.result();
  }

  /** {@link #from}, sample by sample. */
  static InstanceSummary<RaterSample> ofTrack(String track, Set<String> tenants) {
    Accumulator sum = new Accumulator(new LabelValues());
    return summary(
        sample -> {
          if (tenants.contains(sample.label(RaterSeries.TENANT))
              && (isShadowSeries(sample.name()) || track.equals(sample.label(RaterSeries.TRACK)))) {
            sum.add(sample);
          }
        },
        sum::toSample);
  }

  /**
   * Every sample counted: for series already selected and summed over tenants elsewhere (by a
   * Prometheus query).
   */
  static InstanceSummary<RaterSample> everything() {
    Accumulator sum = new Accumulator(new LabelValues());
    return summary(sum::add, sum::toSample);
  }

  /**
   * Each tenant's figures, summed over tracks: what the samples of its {@code tenant} label say of
   * its requests, latency, ratings and decisions. Other series, shadow series among them, are
   * passed over (the figures' shadow is {@link ShadowFigures#NONE}), and so are series whose {@code
   * tenant} label is not a tenant id (the raters' {@code _unknown} among them).
   *
   * @throws ReadLimitException from {@code accept} when the samples name more than {@link
   *     #MAX_TENANTS} tenants: the instance is then not read at all, rather than read in part
   */
  static InstanceSummary<Map<String, RaterSample>> perTenant() {
    LabelValues values = new LabelValues();
    Map<String, Accumulator> tenants = new HashMap<>();
    return summary(
        sample -> {
          if (!isServedSeries(sample.name())) {
            return;
          }
          String tenant = sample.label(RaterSeries.TENANT);
          Accumulator sum = tenants.get(tenant);
          if (sum == null) {
            if (!ReadArguments.TENANT_ID.matcher(tenant).matches()) {
              return;
            }
            if (tenants.size() == MAX_TENANTS) {
              throw ReadLimitException.tenants(MAX_TENANTS);
            }
            sum = new Accumulator(values);
            tenants.put(tenant, sum);
          }
          sum.add(sample);
        },
        () -> {
          Map<String, RaterSample> samples = new HashMap<>();
          tenants.forEach((tenant, sum) -> samples.put(tenant, sum.toSample()));
          return samples;
        });
  }

  private static <T> InstanceSummary<T> summary(Consumer<Sample> add, Supplier<T> result) {
    return new InstanceSummary<>() {
      @Override
      public void accept(Sample sample) {
        add.accept(sample);
      }

      @Override
      public T result() {
        return result.get();
      }
    };
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

  /** The series of requests, latency, ratings and decisions: what a tenant's users were served. */
  private static boolean isServedSeries(String name) {
    return name.equals(RaterSeries.REQUESTS_COUNT)
        || name.equals(RaterSeries.REQUESTS_BUCKET)
        || name.equals(RaterSeries.RATING_BUCKET)
        || name.equals(RaterSeries.DECISIONS);
  }

  private static boolean isShadowSeries(String name) {
    return name.equals(RaterSeries.SHADOW_COMPARISONS)
        || name.equals(RaterSeries.SHADOW_DELTA_SUM)
        || name.equals(RaterSeries.SHADOW_DELTA_COUNT)
        || name.equals(RaterSeries.SHADOW_RATING_BUCKET)
        || name.equals(RaterSeries.SHADOW_SKIPPED);
  }

  /**
   * Label values judged once per read, as an exposition repeats a few dozen bucket bounds and
   * decisions on most of its lines: each bound's number (NaN for one unreadable or NaN) and whether
   * a decision is one to keep. Used by one thread.
   */
  private static final class LabelValues {
    // Past this many, a value is judged every time: a body of endless distinct values holds no
    // more.
    private static final int MAX_KEPT = 1024;
    private final Map<String, Double> bounds = new HashMap<>();
    private final Map<String, Boolean> decisions = new HashMap<>();

    Double bound(String le) {
      Double bound = bounds.get(le);
      if (bound == null) {
        try {
          bound = PrometheusText.parseValue(le);
        } catch (NumberFormatException e) {
          bound = Double.NaN;
        }
        keep(bounds, le, bound);
      }
      return bound;
    }

    /** Decisions are short lowercase words (contract 2); anything else is not one to keep. */
    boolean isDecision(String decision) {
      Boolean valid = decisions.get(decision);
      if (valid == null) {
        valid = TenantFallback.DECISION.matcher(decision).matches();
        keep(decisions, decision, valid);
      }
      return valid;
    }

    private static <V> void keep(Map<String, V> judged, String text, V value) {
      if (judged.size() < MAX_KEPT) {
        judged.put(text, value);
      }
    }
  }

  /**
   * Sums samples into the figures of one {@link RaterSample}; used by one thread, then dropped. A
   * rater writes 28 bounds at most and a handful of decisions; past {@link #MAX_BOUNDS} and {@link
   * #MAX_DECISIONS}, new ones are left out, so no body holds more in memory than this.
   */
  private static final class Accumulator {
    private static final int MAX_BOUNDS = 256;
    private static final int MAX_DECISIONS = 64;

    private final LabelValues labelValues;
    private double requests;
    private double serverErrors;
    private double fallbacks;
    private final NavigableMap<Double, Double> latency = new TreeMap<>();
    private final NavigableMap<Double, Double> ratings = new TreeMap<>();
    private final Map<String, Double> decisions = new HashMap<>();
    private double agree;
    private double flip;
    private double candidateError;
    private double skipped;
    private double deltaSum;
    private double deltaCount;
    private final NavigableMap<Double, Double> liveRatings = new TreeMap<>();
    private final NavigableMap<Double, Double> candidateRatings = new TreeMap<>();

    Accumulator(LabelValues labelValues) {
      this.labelValues = labelValues;
    }

    void add(Sample sample) {
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
      if (labelValues.isDecision(decision)
          && (decisions.size() < MAX_DECISIONS || decisions.containsKey(decision))) {
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

    private void addBucket(Map<Double, Double> buckets, Sample sample, double value) {
      Double le = labelValues.bound(sample.label(RaterSeries.LE));
      if (!le.isNaN() && (buckets.size() < MAX_BOUNDS || buckets.containsKey(le))) {
        buckets.merge(le, value, Double::sum);
      }
    }

    RaterSample toSample() {
      return new RaterSample(
          requests,
          serverErrors,
          fallbacks,
          new Histogram(latency),
          new Histogram(ratings),
          decisions,
          shadow());
    }

    private ShadowFigures shadow() {
      if (agree == 0
          && flip == 0
          && candidateError == 0
          && skipped == 0
          && deltaSum == 0
          && deltaCount == 0
          && liveRatings.isEmpty()
          && candidateRatings.isEmpty()) {
        return ShadowFigures.NONE;
      }
      return new ShadowFigures(
          agree,
          flip,
          candidateError,
          skipped,
          deltaSum,
          deltaCount,
          new Histogram(liveRatings),
          new Histogram(candidateRatings));
    }
  }
}
