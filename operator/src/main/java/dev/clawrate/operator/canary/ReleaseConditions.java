package dev.clawrate.operator.canary;

import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryTransition;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.status.ConditionSet;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place a CanaryRelease's conditions are computed (pure), from its phase and what its
 * regions' routes show: Ready, Progressing and Degraded for kubectl, Argo CD and kstatus;
 * TrafficAccepted for the gateway; Conflict when another release governs the target.
 */
public final class ReleaseConditions {

  private ReleaseConditions() {}

  /**
   * @param routeProblems region to why its route cannot take the release, for regions with one
   * @param unaccepted regions whose gateway has not accepted the route's current weights
   */
  public static List<Condition> of(
      CanaryReleaseStatus status,
      List<Condition> existing,
      long generation,
      Instant now,
      Map<String, String> routeProblems,
      List<String> unaccepted) {
    ConditionSet conditions = new ConditionSet(existing, generation, now);
    String phase = status.getPhase() == null ? ReleasePhase.IDLE : status.getPhase();
    conditions.set(ClawrateApi.CONFLICT, false, "Governing", "this release governs its target");
    boolean active = ReleasePhase.active(phase);
    conditions.set(
        ClawrateApi.PROGRESSING,
        active,
        phase,
        active ? orPhase(status.getMessage(), phase) : "no release in progress");
    boolean rolledBack = ReleasePhase.ROLLED_BACK.equals(phase);
    CanaryTransition last = lastTransition(status);
    if (rolledBack) {
      conditions.set(
          ClawrateApi.DEGRADED,
          true,
          last == null ? "RolledBack" : last.getReason(),
          last == null ? "rolled back" : "rolled back: " + last.getMessage());
    } else if (!routeProblems.isEmpty()) {
      conditions.set(ClawrateApi.DEGRADED, true, "RouteProblem", join(routeProblems));
    } else {
      conditions.set(ClawrateApi.DEGRADED, false, "AsExpected", "nothing is wrong");
    }
    boolean ready =
        (ReleasePhase.IDLE.equals(phase) || ReleasePhase.SUCCEEDED.equals(phase))
            && status.getStable() != null;
    conditions.set(
        ClawrateApi.READY,
        ready,
        ready ? "StableServed" : phase,
        ready ? "stable serves the target's current version" : orPhase(status.getMessage(), phase));
    if (unaccepted.isEmpty()) {
      conditions.set(
          ClawrateApi.TRAFFIC_ACCEPTED,
          true,
          "Accepted",
          "every region's gateway took the weights");
    } else {
      conditions.set(
          ClawrateApi.TRAFFIC_ACCEPTED,
          false,
          "Pending",
          "waiting for the gateway in " + String.join(", ", unaccepted));
    }
    return conditions.toList();
  }

  /** The conditions of a release that does nothing because another governs its target. */
  public static List<Condition> conflict(
      List<Condition> existing, long generation, Instant now, String governor) {
    ConditionSet conditions = new ConditionSet(existing, generation, now);
    String message = "CanaryRelease " + governor + " already governs this target";
    conditions.set(ClawrateApi.CONFLICT, true, "TargetGoverned", message);
    conditions.set(ClawrateApi.READY, false, "TargetGoverned", message);
    conditions.set(ClawrateApi.DEGRADED, true, "TargetGoverned", message);
    conditions.remove(ClawrateApi.PROGRESSING);
    conditions.remove(ClawrateApi.TRAFFIC_ACCEPTED);
    return conditions.toList();
  }

  /** The conditions of a release whose spec cannot be read or acted on. */
  public static List<Condition> invalid(
      List<Condition> existing, long generation, Instant now, String reason, String problem) {
    ConditionSet conditions = new ConditionSet(existing, generation, now);
    conditions.set(ClawrateApi.READY, false, reason, problem);
    conditions.set(ClawrateApi.DEGRADED, true, reason, problem);
    return conditions.toList();
  }

  private static String orPhase(String message, String phase) {
    return message == null ? phase : message;
  }

  private static CanaryTransition lastTransition(CanaryReleaseStatus status) {
    List<CanaryTransition> history = status.getHistory();
    return history == null || history.isEmpty() ? null : history.get(history.size() - 1);
  }

  private static String join(Map<String, String> problems) {
    List<String> parts = new ArrayList<>();
    problems.forEach((region, problem) -> parts.add(region + ": " + problem));
    parts.sort(null);
    return String.join("; ", parts);
  }
}
