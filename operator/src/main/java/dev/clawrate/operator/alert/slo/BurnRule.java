package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.Severity;
import java.time.Duration;

/**
 * One multi-window burn-rate alert (Google SRE workbook, chapter 5): it fires when the error budget
 * burns at least {@code factor} times as fast as the objective allows, over both the long window
 * (enough of the budget is gone to matter) and the short one (it is still happening, so the alert
 * resolves soon after the burn stops).
 *
 * <p>Any values are held; {@link BurnWindows#whyNotUsable} says whether they make sense.
 *
 * @param severity a page or a ticket
 * @param longWindow the window that must have burnt enough of the budget
 * @param shortWindow the window that shows the burn is still going on
 * @param factor the burn rate the alert fires at: 1 spends the budget exactly over the SLO period,
 *     14.4 spends 2% of a 30-day budget in an hour
 */
public record BurnRule(
    Severity severity, Duration longWindow, Duration shortWindow, double factor) {

  /** The fast pair of the workbook's table 5-8: 2% of a 30-day budget in 1 h. */
  public static final BurnRule PAGE =
      new BurnRule(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 14.4);

  /** The slow pair: 10% of a 30-day budget in 6 h. */
  public static final BurnRule TICKET =
      new BurnRule(Severity.TICKET, Duration.ofHours(6), Duration.ofMinutes(30), 6);

  public BurnRule {
    if (severity == null || longWindow == null || shortWindow == null) {
      throw new IllegalArgumentException("a burn-rate rule needs a severity and both windows");
    }
  }
}
