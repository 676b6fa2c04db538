package dev.clawrate.operator.alert.slo;

import java.time.Duration;

/**
 * The requests of one objective over one window, and how much of the window has history.
 *
 * @param window the window asked for
 * @param total the requests recorded in it
 * @param bad how many of them were bad
 * @param history how much of the window the counter saw: the whole window once it has counted for
 *     that long, less when it started within it
 */
public record WindowCounts(Duration window, double total, double bad, Duration history) {

  /** Nothing counted and no history: a window of a counter that does not exist yet. */
  public static WindowCounts none(Duration window) {
    return new WindowCounts(window, 0, 0, Duration.ZERO);
  }

  /** Whether the counter saw the whole window. */
  public boolean fullHistory() {
    return history.compareTo(window) >= 0;
  }

  /** The share of the window the counter saw, from 0 to 1. */
  public double coverage() {
    return Math.min(1, (double) history.toMillis() / window.toMillis());
  }

  /**
   * {@code bad / total} over the budget {@code 1 - target}: how many times faster than the
   * objective allows the budget burns; NaN without requests.
   */
  public double burnRate(double budget) {
    return total > 0 ? bad / total / budget : Double.NaN;
  }
}
