package dev.clawrate.operator.alert;

import dev.clawrate.operator.metrics.RaterSample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one region's successive reads of every tenant's cumulative counters, instance by instance,
 * into each tenant's increase since the previous read. Used by the evaluator thread only.
 *
 * <p>An instance whose counters fell for any tenant restarted: all it reports now is new. An
 * instance seen for the first time counts in full, except on the region's first read, which only
 * sets the baseline (a new operator must not take pods' whole history for a burst). An instance
 * missing from a read (its scrape failed) keeps its last counters for {@link #FORGET_AFTER}, so
 * that its return is not mistaken for a new instance and counted twice.
 */
final class TenantIncrements {

  static final Duration FORGET_AFTER = Duration.ofMinutes(10);

  private record Seen(Map<String, RaterSample> tenants, Instant at) {}

  private final Map<String, Seen> instances = new HashMap<>();
  private boolean baselined;

  /**
   * @param read instance to tenant id to cumulative counters, as the metrics source read them
   * @return tenant id to its increase over all instances since the previous read
   */
  Map<String, RaterSample> next(Map<String, Map<String, RaterSample>> read, Instant now) {
    Map<String, RaterSample> increments = new HashMap<>();
    for (Map.Entry<String, Map<String, RaterSample>> instance : read.entrySet()) {
      Seen before = instances.get(instance.getKey());
      Map<String, RaterSample> tenants = instance.getValue();
      if (before == null || restarted(before.tenants(), tenants)) {
        if (baselined) {
          tenants.forEach((tenant, sample) -> increments.merge(tenant, sample, RaterSample::plus));
        }
      } else {
        tenants.forEach(
            (tenant, sample) -> {
              RaterSample earlier = before.tenants().get(tenant);
              increments.merge(
                  tenant, earlier == null ? sample : sample.minus(earlier), RaterSample::plus);
            });
      }
      instances.put(instance.getKey(), new Seen(tenants, now));
    }
    instances.values().removeIf(seen -> !seen.at().plus(FORGET_AFTER).isAfter(now));
    baselined = true;
    return increments;
  }

  private static boolean restarted(Map<String, RaterSample> before, Map<String, RaterSample> now) {
    for (Map.Entry<String, RaterSample> tenant : before.entrySet()) {
      RaterSample current = now.get(tenant.getKey());
      if (current != null && current.restartedSince(tenant.getValue())) {
        return true;
      }
    }
    return false;
  }
}
