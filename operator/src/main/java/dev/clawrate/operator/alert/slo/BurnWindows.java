package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The burn-rate rules a tenant's objectives are alerted on, at most one per severity.
 *
 * @param rules the rules, in the order their verdicts are listed
 */
public record BurnWindows(List<BurnRule> rules) {

  /**
   * The SRE workbook's two pairs (table 5-8): page on 14.4x over 1 h and 5 m, ticket on 6x over 6 h
   * and 30 m.
   */
  public static final BurnWindows DEFAULTS =
      new BurnWindows(List.of(BurnRule.PAGE, BurnRule.TICKET));

  public BurnWindows {
    rules = List.copyOf(rules);
  }

  /** The distinct windows of the rules, for counters to keep. */
  public WindowLayout layout() {
    List<Duration> windows = new ArrayList<>();
    for (BurnRule rule : rules) {
      windows.add(rule.longWindow());
      windows.add(rule.shortWindow());
    }
    return new WindowLayout(windows);
  }

  /**
   * Why these rules cannot alert on {@code objectives} evaluated every {@code interval}, or null
   * when they can: each rule's short window shorter than its long one and no shorter than the
   * interval (an evaluation adds one interval's increase), its factor above 0 and reachable by
   * every objective (an objective's burn rate is at most {@code 1 / (1 - target)}, every request
   * bad: a factor above that never fires), one rule per severity.
   */
  public String whyNotUsable(SloObjectives objectives, Duration interval) {
    if (rules.isEmpty()) {
      return "at least one burn-rate rule is needed";
    }
    Set<Severity> seen = EnumSet.noneOf(Severity.class);
    for (BurnRule rule : rules) {
      String why = whyNotUsable(rule, objectives, interval);
      if (why != null) {
        return "the " + rule.severity().label() + " rule's " + why;
      }
      if (!seen.add(rule.severity())) {
        return "there are two " + rule.severity().label() + " rules: one rule per severity";
      }
    }
    return null;
  }

  private static String whyNotUsable(BurnRule rule, SloObjectives objectives, Duration interval) {
    if (rule.shortWindow().toMillis() < 1 || rule.longWindow().toMillis() < 1) {
      return "windows must be at least 1ms long";
    }
    if (rule.shortWindow().compareTo(rule.longWindow()) >= 0) {
      return "short window ("
          + SloText.duration(rule.shortWindow())
          + ") must be shorter than its long window ("
          + SloText.duration(rule.longWindow())
          + ")";
    }
    if (rule.shortWindow().compareTo(interval) < 0) {
      return "short window ("
          + SloText.duration(rule.shortWindow())
          + ") must not be shorter than the evaluation interval ("
          + SloText.duration(interval)
          + ")";
    }
    if (!Double.isFinite(rule.factor()) || rule.factor() <= 0) {
      return "burn-rate factor must be a number above 0";
    }
    for (SloObjective objective : objectives.enabled()) {
      if (!BurnRateJudge.atLeast(objective.maxBurnRate(), rule.factor())) {
        return "burn-rate factor "
            + rule.factor()
            + " can never be reached by the "
            + objective.kind().label()
            + " target "
            + objective.target()
            + ": its burn rate is at most "
            + SloText.oneDecimal(objective.maxBurnRate())
            + ", when every request is bad";
      }
    }
    return null;
  }
}
