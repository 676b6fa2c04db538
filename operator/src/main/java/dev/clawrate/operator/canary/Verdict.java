package dev.clawrate.operator.canary;

/** What an analysis concludes. */
public enum Verdict {
  /** Every check passed on enough data: the canary may go on. */
  PASS,
  /** Not enough data yet to judge: wait and look again. */
  HOLD,
  /** A check failed: roll the canary back. */
  FAIL
}
