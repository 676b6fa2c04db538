package dev.clawrate.operator.alert.slo;

import java.time.Duration;

/**
 * A tenant's SLO as the evaluation needs it: what it asks for, the rules it is alerted on, and how
 * much traffic an alert needs.
 *
 * <p><b>Why a minimum of requests.</b> A burn rate over few requests is noise: at a 99.9% target
 * one failed request in 50 is a burn rate of 20, over the page factor. The long window must hold at
 * least {@code minRequests} requests for an alert to fire; the default, 100, means the fastest
 * alert needs at least two failures (14.4x of a 99.9% budget is 1.44% of the requests) and at least
 * one in a hundred requests failing. A tenant with less traffic than that is not alerted on, and
 * says so ({@link SloState#UNKNOWN}, "too little traffic to judge"). The workbook's remedies for
 * such services (synthetic traffic, grouping services) are the platform's to choose.
 *
 * @param objectives what the tenant asks for
 * @param windows the burn-rate rules
 * @param minRequests requests the long window must hold before an alert may fire; not negative
 */
public record SloPolicy(SloObjectives objectives, BurnWindows windows, long minRequests) {

  /** The default of {@code minRequests}. */
  public static final long DEFAULT_MIN_REQUESTS = 100;

  public SloPolicy {
    if (objectives == null || windows == null) {
      throw new IllegalArgumentException("an SLO policy needs objectives and rules");
    }
    if (minRequests < 0) {
      throw new IllegalArgumentException("the minimum of requests must not be negative");
    }
  }

  /** The objectives on the default rules and minimum of requests. */
  public static SloPolicy of(SloObjectives objectives) {
    return new SloPolicy(objectives, BurnWindows.DEFAULTS, DEFAULT_MIN_REQUESTS);
  }

  /** Why this policy cannot be evaluated every {@code interval}, or null when it can. */
  public String whyNotUsable(Duration interval) {
    return windows.whyNotUsable(objectives, interval);
  }
}
