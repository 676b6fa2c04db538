package dev.clawrate.operator.alert.slo;

/**
 * Judges one burn-rate rule of one objective over one region's windows. Pure.
 *
 * <p><b>The rule.</b> The burn rate over a window is {@code (bad / total) / (1 - target)}. The
 * alert fires when both windows burn at least the factor and the long window holds at least {@code
 * minRequests} requests ({@link SloPolicy} says why). Firing is judged afresh every time: an alert
 * resolves as soon as either window burns less, in practice the short one, which forgets the burn a
 * few minutes after it stopped, while the long one takes up to an hour.
 *
 * <p><b>Too little traffic.</b> With fewer than {@code minRequests} requests in the long window the
 * rule cannot judge ({@link SloState#UNKNOWN}: whoever alerts keeps the alert as it was), except
 * that a firing alert resolves when its short window's few requests show the burn has stopped, or
 * when its long window, seen whole, held no request at all: there is nothing left to judge it on. A
 * firing alert whose few requests still fail (a model so slow it answers little) stays.
 *
 * <p><b>Too little history.</b> A counter that started less than a long window ago (a new tenant,
 * region or rule set, a restarted operator) has seen only part of the long window, and nothing of
 * what came before. Judging the part as if it were the whole window would page on any short burst
 * after every operator restart, as the whole window's dilution is what keeps bursts from paging.
 * Waiting for the whole window would miss an outage for up to an hour. So the part seen must prove
 * the burn on its own: the long window fires when its burn rate, scaled by the share of it seen,
 * reaches the factor, which is the burn rate the whole window would show if the unseen part had had
 * as many requests and none bad. Under steady traffic, an outage that starts after the counter does
 * thus page in the same round as with full history, and a burst that a full window would dilute
 * below the factor does not page. The short window is judged on what it saw. When the short window
 * burns but the seen part does not prove it, the rule cannot tell ({@link
 * BurnJudgement.Cause#TOO_LITTLE_HISTORY}): the unseen part may have burnt too. A short window that
 * does not burn is an answer whatever the history.
 */
public final class BurnRateJudge {

  /**
   * Burn rates this close below the factor count as reaching it, so that 1.44% of bad requests of a
   * 99.9% target reach 14.4 whatever the binary fractions of the arithmetic.
   */
  private static final double TOLERANCE = 1e-9;

  private BurnRateJudge() {}

  /**
   * Judges {@code rule} for {@code objective} over one region's windows.
   *
   * @param minRequests requests the long window needs to judge; no requests never suffice
   * @param firing whether the alert of this rule fires now, as whoever alerts knows it
   */
  public static BurnJudgement judge(
      BurnRule rule,
      SloObjective objective,
      long minRequests,
      WindowCounts longWindow,
      WindowCounts shortWindow,
      boolean firing) {
    double longBurn = longWindow.burnRate(objective.budget());
    double shortBurn = shortWindow.burnRate(objective.budget());
    long needed = Math.max(1, minRequests);
    BurnJudgement.Cause cause;
    if (longWindow.total() < needed) {
      if (firing && shortWindow.total() > 0 && !atLeast(shortBurn, rule.factor())) {
        // Too few requests to fire on, but enough to see the burn has stopped.
        cause = BurnJudgement.Cause.SHORT_WINDOW_BELOW;
      } else if (!longWindow.fullHistory()) {
        cause = BurnJudgement.Cause.TOO_LITTLE_HISTORY;
      } else {
        // Only a window with no request at all resolves a firing alert: a few requests that all
        // fail (a model so slow it answers little) must not resolve and fire again by turns.
        cause =
            firing && longWindow.total() == 0
                ? BurnJudgement.Cause.NO_TRAFFIC
                : BurnJudgement.Cause.TOO_LITTLE_TRAFFIC;
      }
    } else if (shortWindow.total() == 0 && firing) {
      cause = BurnJudgement.Cause.SHORT_WINDOW_QUIET;
    } else if (!(shortWindow.total() > 0 && atLeast(shortBurn, rule.factor()))) {
      cause = BurnJudgement.Cause.SHORT_WINDOW_BELOW;
    } else if (atLeast(longBurn * longWindow.coverage(), rule.factor())) {
      cause = BurnJudgement.Cause.BURNING;
    } else if (longWindow.fullHistory()) {
      cause = BurnJudgement.Cause.LONG_WINDOW_BELOW;
    } else {
      cause = BurnJudgement.Cause.TOO_LITTLE_HISTORY;
    }
    return new BurnJudgement(rule, cause, longBurn, shortBurn, longWindow, shortWindow, needed);
  }

  /** Whether {@code burnRate} reaches {@code factor}. */
  static boolean atLeast(double burnRate, double factor) {
    return burnRate >= factor * (1 - TOLERANCE);
  }
}
