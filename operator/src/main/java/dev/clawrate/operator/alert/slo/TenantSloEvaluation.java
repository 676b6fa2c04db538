package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges one objective of a tenant over all its regions: pure.
 *
 * <p>An alert fires when it fires in any region: a tenant whose traffic is mostly in one region
 * would otherwise never see an outage of another. Otherwise it is unknown when some region cannot
 * tell yet whether it fires ({@link BurnJudgement.Cause#TOO_LITTLE_HISTORY}): that region may turn
 * out to have been firing, so the alert is kept as it is. Otherwise it is OK when some region was
 * judged OK: a region with too little traffic to judge ever is no reason to keep an alert that
 * every judged region has resolved. With no region judged at all, it is unknown.
 */
public final class TenantSloEvaluation {

  private TenantSloEvaluation() {}

  /**
   * One verdict per rule, in the rules' order.
   *
   * @param judgedAtSeconds what {@link SloVerdict#judgedAtSeconds} says
   * @param regions region name to the counts of each window of the rules
   * @param firing the severities of this objective's alerts that fire now, as whoever alerts knows
   *     them
   */
  public static List<SloVerdict> evaluate(
      SloObjective objective,
      double judgedAtSeconds,
      Map<String, Map<Duration, WindowCounts>> regions,
      BurnWindows rules,
      long minRequests,
      Set<Severity> firing) {
    Map<String, Map<Duration, WindowCounts>> sorted = new TreeMap<>(regions);
    List<SloVerdict> verdicts = new ArrayList<>(rules.rules().size());
    for (BurnRule rule : rules.rules()) {
      Map<String, BurnJudgement> judgements = new TreeMap<>();
      sorted.forEach(
          (region, windows) ->
              judgements.put(
                  region,
                  BurnRateJudge.judge(
                      rule,
                      objective,
                      minRequests,
                      counts(windows, rule.longWindow()),
                      counts(windows, rule.shortWindow()),
                      firing.contains(rule.severity()))));
      verdicts.add(verdict(objective, judgedAtSeconds, rule, judgements));
    }
    return verdicts;
  }

  private static WindowCounts counts(Map<Duration, WindowCounts> windows, Duration window) {
    WindowCounts counts = windows.get(window);
    return counts == null ? WindowCounts.none(window) : counts;
  }

  private static SloVerdict verdict(
      SloObjective objective,
      double judgedAtSeconds,
      BurnRule rule,
      Map<String, BurnJudgement> judgements) {
    List<String> firingRegions = new ArrayList<>();
    boolean undecided = false;
    boolean judgedOk = false;
    for (Map.Entry<String, BurnJudgement> region : judgements.entrySet()) {
      BurnJudgement judgement = region.getValue();
      if (judgement.state() == SloState.FIRING) {
        firingRegions.add(region.getKey());
      } else if (judgement.cause() == BurnJudgement.Cause.TOO_LITTLE_HISTORY) {
        undecided = true;
      } else if (judgement.state() == SloState.OK) {
        judgedOk = true;
      }
    }
    SloState state;
    if (!firingRegions.isEmpty()) {
      state = SloState.FIRING;
    } else if (undecided || !judgedOk) {
      state = SloState.UNKNOWN;
    } else {
      state = SloState.OK;
    }
    BurnJudgement leading = null;
    for (Map.Entry<String, BurnJudgement> region : judgements.entrySet()) {
      BurnJudgement judgement = region.getValue();
      boolean candidate = firingRegions.isEmpty() || firingRegions.contains(region.getKey());
      if (candidate && (leading == null || higher(judgement, leading))) {
        leading = judgement;
      }
    }
    return new SloVerdict(
        objective.kind(),
        rule.severity(),
        state,
        leading == null ? Double.NaN : leading.shortBurnRate(),
        leading == null ? Double.NaN : leading.longBurnRate(),
        rule.factor(),
        rule.longWindow(),
        rule.shortWindow(),
        judgedAtSeconds,
        firingRegions,
        reason(judgements));
  }

  /** Whether {@code a}'s short-window burn rate is above {@code b}'s, a rate above none. */
  private static boolean higher(BurnJudgement a, BurnJudgement b) {
    double rate = a.shortBurnRate();
    return !Double.isNaN(rate) && (Double.isNaN(b.shortBurnRate()) || rate > b.shortBurnRate());
  }

  private static String reason(Map<String, BurnJudgement> judgements) {
    if (judgements.isEmpty()) {
      return "no region has reported yet";
    }
    StringBuilder reason = new StringBuilder();
    for (Map.Entry<String, BurnJudgement> region : judgements.entrySet()) {
      if (reason.length() > 0) {
        reason.append("; ");
      }
      reason.append(region.getKey()).append(": ").append(region.getValue().reason());
    }
    return reason.toString();
  }
}
