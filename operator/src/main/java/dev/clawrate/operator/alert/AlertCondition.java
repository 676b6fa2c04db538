package dev.clawrate.operator.alert;

import java.util.List;

/**
 * What one evaluation says of one alert of a tenant: it should fire, it should not, or there is too
 * little to tell (the alert then stays as it is). Pure value.
 *
 * @param name the alert's name within the TenantConfig, e.g. {@code latency-page}
 * @param burnRate the short-window burn rate that decided it; NaN when not a burn-rate alert or
 *     unknown
 * @param burnThreshold the burn rate it fires at; NaN when not a burn-rate alert
 * @param regions the regions it concerns, sorted
 * @param reason why, in the operator's words
 */
public record AlertCondition(
    String name,
    AlertKind kind,
    Severity severity,
    Judgement judgement,
    double burnRate,
    double burnThreshold,
    List<String> regions,
    String reason) {

  /** Whether the alert should fire. */
  public enum Judgement {
    FIRING,
    OK,
    UNKNOWN
  }

  public AlertCondition {
    regions = List.copyOf(regions);
  }
}
