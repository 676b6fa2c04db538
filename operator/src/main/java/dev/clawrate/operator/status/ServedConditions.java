package dev.clawrate.operator.status;

import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.render.Exclusion;

/**
 * Ready, Progressing and Degraded of a resource that validated, from how raters serve it: Ready
 * means every live rater of every targeted region serves it exactly as published, never merely that
 * it was written. Pure; the reconcilers own everything else about their conditions.
 */
public final class ServedConditions {

  private ServedConditions() {}

  /**
   * Sets Ready, Progressing, Degraded and Claimed, and returns the status message.
   *
   * @param what how the message names the resource, e.g. "tenant acme-bank"
   * @param name the global name the resource publishes under, e.g. "tenant id 'acme-bank'"
   */
  public static String apply(
      ConditionSet conditions, RegionStatuses.Summary regions, String what, String name) {
    Exclusion excluded = regions.excluded();
    if (excluded != null && Exclusion.NAME_CLAIMED.equals(excluded.reason())) {
      conditions.set(ClawrateApi.CLAIMED, false, "ClaimedByAnotherNamespace", excluded.message());
    } else if (regions.published()) {
      conditions.set(ClawrateApi.CLAIMED, true, "Claimed", "this namespace holds the " + name);
    } else {
      conditions.remove(ClawrateApi.CLAIMED);
    }
    if (excluded != null) {
      conditions.set(ClawrateApi.READY, false, excluded.reason(), excluded.message());
      conditions.set(ClawrateApi.PROGRESSING, false, excluded.reason(), excluded.message());
      conditions.set(
          ClawrateApi.DEGRADED,
          excluded.carriedOver(),
          excluded.carriedOver() ? "ServingPreviousConfiguration" : excluded.reason(),
          excluded.message());
      return excluded.message();
    }
    if (regions.rejection() != null) {
      conditions.set(ClawrateApi.READY, false, "RaterRejected", regions.rejection());
      conditions.set(ClawrateApi.PROGRESSING, false, "RaterRejected", regions.rejection());
      conditions.set(ClawrateApi.DEGRADED, true, "RaterRejected", regions.rejection());
      return regions.rejection();
    }
    if (!regions.published() || regions.outdated()) {
      String why =
          what
              + (regions.published()
                  ? "'s new version is being published"
                  : " is not published yet");
      conditions.set(ClawrateApi.READY, false, "Publishing", why);
      conditions.set(ClawrateApi.PROGRESSING, true, "Publishing", why);
      conditions.set(ClawrateApi.DEGRADED, false, "Publishing", why);
      return why;
    }
    conditions.set(ClawrateApi.DEGRADED, false, "Served", what + " is served as published");
    if (regions.unreachable() != null) {
      String why =
          "publishing to region "
              + regions.unreachable()
              + " is failing; it serves its last snapshot";
      conditions.set(ClawrateApi.READY, false, "RegionUnreachable", why);
      conditions.set(ClawrateApi.PROGRESSING, true, "RegionUnreachable", why);
      return why;
    }
    if (regions.raterless() != null) {
      String why = "no live rater in region " + regions.raterless();
      conditions.set(ClawrateApi.READY, false, "NoRaters", why);
      conditions.set(ClawrateApi.PROGRESSING, false, "NoRaters", why);
      return why;
    }
    if (!regions.allSynced()) {
      String why = "served by " + regions.ratersOf() + " raters";
      conditions.set(ClawrateApi.READY, false, "RollingOut", why);
      conditions.set(ClawrateApi.PROGRESSING, true, "RollingOut", why);
      return why;
    }
    String served =
        what
            + " is served by "
            + regions.ratersOf()
            + " raters in "
            + regions.syncedOf()
            + " regions";
    conditions.set(ClawrateApi.READY, true, "Served", served);
    conditions.set(ClawrateApi.PROGRESSING, false, "Served", served);
    return served;
  }
}
