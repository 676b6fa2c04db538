package dev.clawrate.operator.canary;

import dev.clawrate.operator.api.CanaryRegionStatus;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The canary gauges of contract 4: each release's phase ({@code clawrate_operator_canary_phase}, 1
 * for the phase it is in) and each region's canary weight in percent ({@code
 * clawrate_operator_canary_weight}). A release that goes away takes its series with it.
 */
public final class CanaryMetrics {

  private static final List<String> PHASES =
      List.of(
          ReleasePhase.IDLE,
          ReleasePhase.SHADOWING,
          ReleasePhase.PROGRESSING,
          ReleasePhase.PAUSED,
          ReleasePhase.PROMOTING,
          ReleasePhase.SUCCEEDED,
          ReleasePhase.ROLLED_BACK);

  /** What a release's gauges read; replaced whole on each reconcile. */
  private record Reading(String phase, Map<String, Double> weights) {}

  private final MeterRegistry registry;
  // Written by reconciles of different releases at once, read by scrapes.
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  public CanaryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param release {@code namespace/name}
   */
  public void record(String release, CanaryReleaseStatus status) {
    Map<String, Double> weights = new ConcurrentHashMap<>();
    if (status.getRegions() != null) {
      for (CanaryRegionStatus region : status.getRegions()) {
        weights.put(region.getName(), percent(region.getWeight()));
      }
    }
    readings.put(release, new Reading(status.getPhase(), weights));
    List<Meter> registered = meters.computeIfAbsent(release, r -> new ArrayList<>());
    synchronized (registered) {
      if (registered.isEmpty()) {
        for (String phase : PHASES) {
          registered.add(
              Gauge.builder(
                      "clawrate.operator.canary.phase",
                      this,
                      m -> m.phaseIs(release, phase) ? 1 : 0)
                  .description("1 for the phase a CanaryRelease is in")
                  .tags("release", release, "phase", phase)
                  .register(registry));
        }
      }
      for (String region : weights.keySet()) {
        boolean known =
            registered.stream()
                .anyMatch(
                    m ->
                        region.equals(m.getId().getTag("region"))
                            && m.getId().getName().equals("clawrate.operator.canary.weight"));
        if (!known) {
          registered.add(
              Gauge.builder("clawrate.operator.canary.weight", this, m -> m.weight(release, region))
                  .description("Canary share of a region's route, in percent, as last accepted")
                  .tags("release", release, "region", region)
                  .register(registry));
        }
      }
    }
  }

  /** Forgets every release not in {@code live}, series and all. */
  public void retain(Set<String> live) {
    for (String release : List.copyOf(meters.keySet())) {
      if (!live.contains(release)) {
        List<Meter> gone = meters.remove(release);
        readings.remove(release);
        if (gone != null) {
          gone.forEach(registry::remove);
        }
      }
    }
  }

  private boolean phaseIs(String release, String phase) {
    Reading reading = readings.get(release);
    return reading != null && phase.equals(reading.phase());
  }

  private double weight(String release, String region) {
    Reading reading = readings.get(release);
    return reading == null ? 0 : reading.weights().getOrDefault(region, 0.0);
  }

  private static double percent(String weight) {
    try {
      return weight == null ? 0 : new BigDecimal(weight).doubleValue();
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
