package dev.clawrate.operator.alert;

import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one region's successive reads of every tenant's cumulative counters, instance by instance,
 * into each tenant's increase since the previous read. Used by the evaluator thread only.
 *
 * <p>An instance whose counters fell for any tenant restarted: all it reports now is new. An
 * instance seen for the first time counts in full, except on the region's first read, which only
 * sets the baseline (a new operator must not take pods' whole history for a burst). An instance
 * missing from a read (its scrape failed) keeps its last counters for {@link #FORGET_AFTER}, so
 * that its return is not mistaken for a new instance and counted twice.
 *
 * <p>Only what SLOs judge is kept (requests, server errors, fallbacks, the latency buckets), as
 * arrays: a round takes the difference of every tenant on every instance, tens of thousands of
 * them, and the histograms' sorted maps cost several times as much to walk.
 */
final class TenantIncrements {

  static final Duration FORGET_AFTER = Duration.ofMinutes(10);

  /** A tenant's cumulative counters on one instance, or an increase of them. */
  private record Counts(
      double requests, double serverErrors, double fallbacks, double[] bounds, double[] latency) {

    static Counts of(RaterSample sample) {
      Map<Double, Double> buckets = sample.latencySeconds().cumulative();
      double[] bounds = new double[buckets.size()];
      double[] latency = new double[buckets.size()];
      int i = 0;
      for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
        bounds[i] = bucket.getKey();
        latency[i++] = bucket.getValue();
      }
      return new Counts(
          sample.requests(), sample.serverErrors(), sample.fallbacks(), bounds, latency);
    }

    boolean fellBelow(Counts earlier) {
      if (requests < earlier.requests
          || serverErrors < earlier.serverErrors
          || fallbacks < earlier.fallbacks) {
        return true;
      }
      if (!Arrays.equals(bounds, earlier.bounds)) {
        // Other buckets than before: no bucket can be compared, so none is taken as fallen.
        return false;
      }
      for (int i = 0; i < latency.length; i++) {
        if (latency[i] < earlier.latency[i]) {
          return true;
        }
      }
      return false;
    }

    /** This minus {@code earlier}; buckets that changed take this instance's as they are. */
    Counts minus(Counts earlier) {
      double[] increase = latency;
      if (Arrays.equals(bounds, earlier.bounds)) {
        increase = new double[latency.length];
        for (int i = 0; i < latency.length; i++) {
          increase[i] = Math.max(0, latency[i] - earlier.latency[i]);
        }
      }
      return new Counts(
          requests - earlier.requests,
          serverErrors - earlier.serverErrors,
          fallbacks - earlier.fallbacks,
          bounds,
          increase);
    }

    /** Both together; with other buckets than each other's, through the histograms' union. */
    Counts plus(Counts other) {
      if (!Arrays.equals(bounds, other.bounds)) {
        return of(toSample().plus(other.toSample()));
      }
      double[] sum = new double[latency.length];
      for (int i = 0; i < latency.length; i++) {
        sum[i] = latency[i] + other.latency[i];
      }
      return new Counts(
          requests + other.requests,
          serverErrors + other.serverErrors,
          fallbacks + other.fallbacks,
          bounds,
          sum);
    }

    RaterSample toSample() {
      TreeMap<Double, Double> buckets = new TreeMap<>();
      for (int i = 0; i < bounds.length; i++) {
        buckets.put(bounds[i], latency[i]);
      }
      return new RaterSample(
          requests,
          serverErrors,
          fallbacks,
          Histogram.of(buckets),
          Histogram.EMPTY,
          Map.of(),
          ShadowFigures.NONE);
    }
  }

  private record Seen(Map<String, Counts> tenants, Instant at) {}

  private final Map<String, Seen> instances = new HashMap<>();
  private boolean baselined;

  /**
   * @param read instance to tenant id to cumulative counters, as the metrics source read them
   * @return tenant id to its increase over all instances since the previous read
   */
  Map<String, RaterSample> next(Map<String, Map<String, RaterSample>> read, Instant now) {
    Map<String, Counts> increments = new HashMap<>();
    for (Map.Entry<String, Map<String, RaterSample>> instance : read.entrySet()) {
      Map<String, Counts> tenants = new HashMap<>(instance.getValue().size() * 2);
      instance.getValue().forEach((tenant, sample) -> tenants.put(tenant, Counts.of(sample)));
      Seen before = instances.get(instance.getKey());
      if (before == null || restarted(before.tenants(), tenants)) {
        if (baselined) {
          tenants.forEach((tenant, counts) -> increments.merge(tenant, counts, Counts::plus));
        }
      } else {
        tenants.forEach(
            (tenant, counts) -> {
              Counts earlier = before.tenants().get(tenant);
              increments.merge(
                  tenant, earlier == null ? counts : counts.minus(earlier), Counts::plus);
            });
      }
      instances.put(instance.getKey(), new Seen(tenants, now));
    }
    instances.values().removeIf(seen -> !seen.at().plus(FORGET_AFTER).isAfter(now));
    baselined = true;
    Map<String, RaterSample> samples = new HashMap<>(increments.size() * 2);
    increments.forEach((tenant, counts) -> samples.put(tenant, counts.toSample()));
    return samples;
  }

  private static boolean restarted(Map<String, Counts> before, Map<String, Counts> now) {
    for (Map.Entry<String, Counts> tenant : before.entrySet()) {
      Counts current = now.get(tenant.getKey());
      if (current != null && current.fellBelow(tenant.getValue())) {
        return true;
      }
    }
    return false;
  }
}
