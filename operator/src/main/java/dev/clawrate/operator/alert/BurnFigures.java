package dev.clawrate.operator.alert;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How burn rates are written for people: two significant digits, and anything below 1 (the budget
 * lasts the whole SLO period) as {@code <1}. Coarse on purpose: a status is rewritten only when
 * what it shows changes, and a healthy tenant's burn rate wanders every interval.
 */
public final class BurnFigures {

  private BurnFigures() {}

  /**
   * @return the rate in words, or null when it is unknown (NaN)
   */
  public static String display(double burnRate) {
    if (Double.isNaN(burnRate)) {
      return null;
    }
    if (burnRate < 1) {
      return "<1";
    }
    if (Double.isInfinite(burnRate)) {
      return "inf";
    }
    return BigDecimal.valueOf(burnRate)
        .round(new MathContext(2, RoundingMode.HALF_UP))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** A rate as {@link #display} wrote it, back as a number (NaN for null, 0 for {@code <1}). */
  public static double parse(String text) {
    if (text == null) {
      return Double.NaN;
    }
    if (text.equals("<1")) {
      return 0;
    }
    if (text.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double value = Double.parseDouble(text);
      return Double.isFinite(value) && value >= 0 ? value : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
