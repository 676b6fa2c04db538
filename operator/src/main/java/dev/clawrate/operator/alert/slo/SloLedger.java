package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Severity;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Every tenant's SLO counters, by TenantConfig, region and objective, and their evaluation. Each
 * round, the evaluator {@linkplain #record records} each region's increase since the previous round
 * for every tenant, then {@linkplain #evaluate evaluates} each tenant.
 *
 * <p>A region should be recorded every round it serves the tenant, with {@link RaterSample#EMPTY}
 * when it served nothing: a region left unrecorded (unreachable) ages out like one without traffic.
 * An increment read after missed rounds counts in full at the time it is recorded.
 *
 * <p>The ledger holds no alert state: whoever fires and resolves alerts says what fires now (it
 * persists that across operator restarts; the ledger's counts start afresh).
 */
public final class SloLedger {

  private final Duration interval;

  /** Used by the one SLO evaluator thread only, for every method: no locks. */
  private final Map<ResourceKey, TenantWindows> tenants = new HashMap<>();

  /**
   * @param interval how often the evaluator records and evaluates: what a counter's first increment
   *     covers, and what the rules' windows must not be shorter than
   */
  public SloLedger(Duration interval) {
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("the evaluation interval must be at least 1ms");
    }
    this.interval = interval;
  }

  /**
   * Records one region's increase of the tenant's requests since the previous round.
   *
   * @param increment the region's increase ({@link
   *     dev.clawrate.operator.metrics.RaterSamples#increase}), summed over its tracks
   * @throws IllegalArgumentException when {@code region} is not a region name, or the policy cannot
   *     be evaluated ({@link SloPolicy#whyNotUsable}: check it first)
   */
  public void record(
      ResourceKey key, SloPolicy policy, String region, RaterSample increment, Instant now) {
    requireUsable(key, policy);
    if (KubeNames.whyNotDnsLabel(region) != null) {
      throw new IllegalArgumentException("a region name must be a DNS label");
    }
    tenants
        .computeIfAbsent(key, k -> new TenantWindows(interval))
        .record(policy, region, increment, now);
  }

  /**
   * The tenant's verdicts: one per enabled objective (availability first) and rule (in the rules'
   * order). Unknown, "no region has reported yet", for a tenant never recorded.
   *
   * @param firing whether the tenant's alert of an objective and severity fires now
   * @throws IllegalArgumentException when the policy cannot be evaluated
   */
  public List<SloVerdict> evaluate(
      ResourceKey key, SloPolicy policy, BiPredicate<AlertKind, Severity> firing, Instant now) {
    requireUsable(key, policy);
    TenantWindows windows = tenants.get(key);
    return (windows == null ? new TenantWindows(interval) : windows).evaluate(policy, firing, now);
  }

  /** Drops the tenant's counters of regions other than {@code regions}. */
  public void retainRegions(ResourceKey key, Set<String> regions) {
    TenantWindows windows = tenants.get(key);
    if (windows != null) {
      windows.retainRegions(regions);
    }
  }

  /** Drops the tenant's counters: its TenantConfig is gone, or has no SLO any more. */
  public void forget(ResourceKey key) {
    tenants.remove(key);
  }

  /** Drops the counters of every tenant but {@code keys}. */
  public void retainOnly(Set<ResourceKey> keys) {
    tenants.keySet().retainAll(keys);
  }

  /** How many tenants have counters. */
  public int size() {
    return tenants.size();
  }

  private void requireUsable(ResourceKey key, SloPolicy policy) {
    String why = policy.whyNotUsable(interval);
    if (why != null) {
      throw new IllegalArgumentException("the SLO of " + key + " cannot be evaluated: " + why);
    }
  }
}
