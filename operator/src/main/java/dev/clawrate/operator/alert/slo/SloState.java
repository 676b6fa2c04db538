package dev.clawrate.operator.alert.slo;

/** What an SLO alert's evaluation says. */
public enum SloState {
  /** The error budget burns too fast: the alert fires. */
  FIRING,
  /** It does not: the alert is resolved, or stays so. */
  OK,
  /**
   * Too little traffic or too little history to judge: whoever fires and resolves alerts keeps the
   * alert as it was.
   */
  UNKNOWN
}
