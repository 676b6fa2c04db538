package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Severity;
import java.time.Duration;
import java.util.List;

/**
 * One SLO alert of a tenant (an objective and a severity) as the evaluation finds it, over every
 * region. Every text in it is built from numbers, durations and region names.
 *
 * <p>For status, the {@link Severity#PAGE} verdict's {@code burnRate} and {@code longBurnRate} of
 * each objective are the figures to show (e.g. {@code kubectl get}'s burn-rate column).
 *
 * @param kind {@link AlertKind#AVAILABILITY} or {@link AlertKind#LATENCY}
 * @param severity the rule's severity
 * @param state firing, OK, or unknown (keep the alert as it is)
 * @param burnRate the short window's burn rate: the highest among the firing regions when firing,
 *     else among all regions; NaN when no region had requests in it
 * @param longBurnRate the long window's burn rate in the region {@code burnRate} is from (over the
 *     part of the window seen so far); NaN when that region had no requests in it
 * @param burnThreshold the rule's factor: the burn rate it fires at
 * @param longWindow the rule's long window
 * @param shortWindow the rule's short window
 * @param judgedAtSeconds latency only: the bucket bound requests were counted good at (the largest
 *     at or below the threshold, the lowest over the regions: {@code 0.05} says "judged at 50 ms");
 *     0 when every bound is above the threshold; NaN for availability and before any latency
 *     histogram was recorded
 * @param regions the firing regions, sorted; empty unless firing
 * @param reason each region's judgement, e.g. {@code eu-west: burn rate 20.0x over 5m and 15.1x
 *     over 1h, at or above 14.4x; us-east: burn rate 0.3x over 5m, below 14.4x}
 */
public record SloVerdict(
    AlertKind kind,
    Severity severity,
    SloState state,
    double burnRate,
    double longBurnRate,
    double burnThreshold,
    Duration longWindow,
    Duration shortWindow,
    double judgedAtSeconds,
    List<String> regions,
    String reason) {

  public SloVerdict {
    regions = List.copyOf(regions);
  }
}
