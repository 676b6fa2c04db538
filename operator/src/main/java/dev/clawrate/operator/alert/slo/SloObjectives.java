package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.AlertKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tenant asks for: an availability objective, a latency objective, both, or neither.
 *
 * @param availability the availability objective; null when the tenant has none
 * @param latency the latency objective; null when the tenant has none
 */
public record SloObjectives(SloObjective availability, SloObjective latency) {

  public SloObjectives {
    if (availability != null && availability.kind() != AlertKind.AVAILABILITY) {
      throw new IllegalArgumentException("the availability objective must be about availability");
    }
    if (latency != null && latency.kind() != AlertKind.LATENCY) {
      throw new IllegalArgumentException("the latency objective must be about latency");
    }
  }

  /** The objectives the tenant has, availability first. */
  public List<SloObjective> enabled() {
    List<SloObjective> enabled = new ArrayList<>(2);
    if (availability != null) {
      enabled.add(availability);
    }
    if (latency != null) {
      enabled.add(latency);
    }
    return enabled;
  }
}
