package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Severity;
import dev.clawrate.operator.metrics.RaterSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * One tenant's counters: per region, one {@link WindowedCounts} per objective. Used by the {@link
 * SloLedger}'s one thread.
 *
 * <p>Counters follow the policy: rules with other windows start every counter afresh, a latency
 * threshold that changed starts the latency counters afresh (what they counted as good no longer
 * is), and an objective the tenant no longer has loses its counters. A new target keeps them:
 * counts do not depend on it.
 */
final class TenantWindows {

  private final Duration interval;
  private BurnWindows rules;
  private WindowLayout layout;
  private double latencyThreshold = Double.NaN;
  private final Map<String, RegionWindows> regions = new HashMap<>();

  /** One region's counters; null for an objective the tenant does not have. */
  private static final class RegionWindows {
    WindowedCounts availability;
    WindowedCounts latency;
    double judgedAtSeconds = Double.NaN;
  }

  TenantWindows(Duration interval) {
    this.interval = interval;
  }

  void record(SloPolicy policy, String region, RaterSample increment, Instant now) {
    conform(policy);
    RegionWindows windows = regions.computeIfAbsent(region, r -> new RegionWindows());
    SloObjective availability = policy.objectives().availability();
    if (availability != null) {
      if (windows.availability == null) {
        windows.availability = new WindowedCounts(layout, now.minus(interval));
      }
      add(windows.availability, availability.events(increment), now);
    }
    SloObjective latency = policy.objectives().latency();
    if (latency != null) {
      if (windows.latency == null) {
        windows.latency = new WindowedCounts(layout, now.minus(interval));
      }
      add(windows.latency, latency.events(increment), now);
      double judgedAt = latency.judgedAtSeconds(increment.latencySeconds());
      if (!Double.isNaN(judgedAt)) {
        windows.judgedAtSeconds = judgedAt;
      }
    }
  }

  List<SloVerdict> evaluate(
      SloPolicy policy, BiPredicate<AlertKind, Severity> firing, Instant now) {
    conform(policy);
    List<SloVerdict> verdicts = new ArrayList<>(4);
    for (SloObjective objective : policy.objectives().enabled()) {
      Map<String, Map<Duration, WindowCounts>> counts = new HashMap<>();
      double judgedAt = Double.NaN;
      for (Map.Entry<String, RegionWindows> region : regions.entrySet()) {
        RegionWindows windows = region.getValue();
        WindowedCounts counter =
            objective.kind() == AlertKind.AVAILABILITY ? windows.availability : windows.latency;
        if (counter == null) {
          continue;
        }
        Map<Duration, WindowCounts> byWindow = new HashMap<>();
        for (Duration window : layout.windows()) {
          byWindow.put(window, counter.over(window, now));
        }
        counts.put(region.getKey(), byWindow);
        double bound = windows.judgedAtSeconds;
        if (objective.kind() == AlertKind.LATENCY
            && !Double.isNaN(bound)
            && (Double.isNaN(judgedAt) || bound < judgedAt)) {
          judgedAt = bound;
        }
      }
      Set<Severity> firingNow = EnumSet.noneOf(Severity.class);
      for (BurnRule rule : policy.windows().rules()) {
        if (firing.test(objective.kind(), rule.severity())) {
          firingNow.add(rule.severity());
        }
      }
      verdicts.addAll(
          TenantSloEvaluation.evaluate(
              objective, judgedAt, counts, policy.windows(), policy.minRequests(), firingNow));
    }
    return verdicts;
  }

  void retainRegions(Set<String> keep) {
    regions.keySet().retainAll(keep);
  }

  private static void add(WindowedCounts counter, SloObjective.Events events, Instant now) {
    counter.add(events.total(), events.bad(), now);
  }

  private void conform(SloPolicy policy) {
    if (!policy.windows().equals(rules)) {
      WindowLayout wanted = policy.windows().layout();
      if (!wanted.equals(layout)) {
        regions.clear();
        layout = wanted;
      }
      rules = policy.windows();
    }
    SloObjective latency = policy.objectives().latency();
    double threshold = latency == null ? Double.NaN : latency.thresholdSeconds();
    boolean thresholdChanged = Double.compare(threshold, latencyThreshold) != 0;
    latencyThreshold = threshold;
    for (RegionWindows windows : regions.values()) {
      if (policy.objectives().availability() == null) {
        windows.availability = null;
      }
      if (thresholdChanged) {
        windows.latency = null;
        windows.judgedAtSeconds = Double.NaN;
      }
    }
  }
}
