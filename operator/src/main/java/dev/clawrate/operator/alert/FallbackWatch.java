package dev.clawrate.operator.alert;

import dev.clawrate.operator.alert.slo.SloText;
import dev.clawrate.operator.alert.slo.WindowCounts;
import dev.clawrate.operator.alert.slo.WindowLayout;
import dev.clawrate.operator.alert.slo.WindowedCounts;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watches how often each tenant is answered by its fallback, per region, over one window (the page
 * pair's short window): the alert fires once at least {@link #MIN_FALLBACKS} requests and {@link
 * #MIN_SHARE} of them were answered by the fallback in it, and resolves once none was. In between
 * it stays as it is, so a trickle of fallbacks neither pages nor flaps. Used by the evaluator
 * thread only.
 */
final class FallbackWatch {

  static final String NAME = "fallback";
  static final long MIN_FALLBACKS = 5;
  static final double MIN_SHARE = 0.01;

  private final Duration interval;
  private final Map<ResourceKey, Map<String, WindowedCounts>> counts = new HashMap<>();

  FallbackWatch(Duration interval) {
    this.interval = interval;
  }

  void record(ResourceKey key, String region, Duration window, RaterSample increment, Instant now) {
    Map<String, WindowedCounts> regions = counts.computeIfAbsent(key, k -> new HashMap<>());
    WindowedCounts windowed = regions.get(region);
    if (windowed == null || !windowed.layout().windows().equals(List.of(window))) {
      windowed = new WindowedCounts(new WindowLayout(List.of(window)), now.minus(interval));
      regions.put(region, windowed);
    }
    windowed.add(increment.requests(), increment.fallbacks(), now);
  }

  AlertCondition judge(ResourceKey key, Duration window, Instant now) {
    double requests = 0;
    double fallbacks = 0;
    List<String> regions = new ArrayList<>();
    for (Map.Entry<String, WindowedCounts> region :
        new TreeMap<>(counts.getOrDefault(key, Map.of())).entrySet()) {
      if (!region.getValue().layout().windows().equals(List.of(window))) {
        continue;
      }
      WindowCounts over = region.getValue().over(window, now);
      requests += over.total();
      fallbacks += over.bad();
      if (over.bad() > 0) {
        regions.add(region.getKey());
      }
    }
    AlertCondition.Judgement judgement;
    String reason;
    String span = SloText.duration(window);
    if (fallbacks >= MIN_FALLBACKS && fallbacks >= MIN_SHARE * requests) {
      judgement = AlertCondition.Judgement.FIRING;
      reason =
          String.format(
              java.util.Locale.ROOT,
              "%.0f of %.0f requests over %s were answered by the fallback",
              fallbacks,
              requests,
              span);
    } else if (fallbacks == 0) {
      judgement = AlertCondition.Judgement.OK;
      reason = "no request over " + span + " was answered by the fallback";
    } else {
      judgement = AlertCondition.Judgement.UNKNOWN;
      reason = "a few requests were answered by the fallback";
    }
    return new AlertCondition(
        NAME,
        AlertKind.FALLBACK,
        Severity.TICKET,
        judgement,
        Double.NaN,
        Double.NaN,
        regions,
        reason);
  }

  void retainRegions(ResourceKey key, Set<String> regions) {
    Map<String, WindowedCounts> held = counts.get(key);
    if (held != null) {
      held.keySet().retainAll(regions);
    }
  }

  void retainOnly(Set<ResourceKey> keys) {
    counts.keySet().retainAll(keys);
  }
}
