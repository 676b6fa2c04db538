package dev.clawrate.operator.traffic;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How traffic is split between the stable and the canary Service: two integer weights that sum to
 * {@link #TOTAL}, so each unit is 0.001% of the traffic. Gateway API weights are relative integers
 * from 0 to 1,000,000, which is what lets a canary start below 1% (0.1%, 0.5%) instead of at the 1%
 * a percentage weight would allow. Two splits are equal when their weights are.
 *
 * @param stable the stable Service's weight
 * @param canary the canary Service's weight
 */
public record WeightSplit(int stable, int canary) {

  /** The weights' sum: 100% of the traffic at 0.001% resolution. */
  public static final int TOTAL = 100_000;

  /** The most decimals a canary share in percent may have: 0.001%. */
  public static final int MAX_DECIMALS = 3;

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  public static final WeightSplit ALL_STABLE = new WeightSplit(TOTAL, 0);
  public static final WeightSplit ALL_CANARY = new WeightSplit(0, TOTAL);

  public WeightSplit {
    if (stable < 0 || canary < 0 || stable + canary != TOTAL) {
      throw new IllegalArgumentException(
          "the stable and canary weights must be non-negative and sum to " + TOTAL);
    }
  }

  /**
   * The split that sends {@code percent} of the traffic to the canary.
   *
   * @throws IllegalArgumentException when the share is not between 0 and 100 or has more than three
   *     decimals
   */
  public static WeightSplit canaryPercent(BigDecimal percent) {
    if (percent == null) {
      throw new IllegalArgumentException("the canary share is missing");
    }
    if (percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException("the canary share must be between 0 and 100 percent");
    }
    if (percent.stripTrailingZeros().scale() > MAX_DECIMALS) {
      throw new IllegalArgumentException(
          "the canary share has at most " + MAX_DECIMALS + " decimals (0.001 percent steps)");
    }
    int canary = percent.movePointRight(MAX_DECIMALS).intValueExact();
    return new WeightSplit(TOTAL - canary, canary);
  }

  /** As {@link #canaryPercent(BigDecimal)}, from the shortest decimal that reads as the double. */
  public static WeightSplit canaryPercent(double percent) {
    if (!Double.isFinite(percent)) {
      throw new IllegalArgumentException("the canary share must be a finite number");
    }
    return canaryPercent(BigDecimal.valueOf(percent));
  }

  /**
   * As {@link #canaryPercent(BigDecimal)}, from text such as {@code "2.5"}.
   *
   * @throws IllegalArgumentException also when the text is not a decimal number
   */
  public static WeightSplit canaryPercent(String percent) {
    if (percent == null) {
      throw new IllegalArgumentException("the canary share is missing");
    }
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(percent.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the canary share is not a decimal number");
    }
    return canaryPercent(parsed);
  }

  /**
   * The split that two relative weights, as a route holds them, amount to, to the nearest 0.001%
   * (half up).
   *
   * @throws IllegalArgumentException when a weight is negative or both are zero: that sends nothing
   *     to either Service, which is no split
   */
  public static WeightSplit ofRelative(long stableWeight, long canaryWeight) {
    if (stableWeight < 0 || canaryWeight < 0 || stableWeight + canaryWeight == 0) {
      throw new IllegalArgumentException(
          "relative weights must be non-negative and not both zero to make a split");
    }
    BigDecimal canary =
        BigDecimal.valueOf(canaryWeight)
            .multiply(BigDecimal.valueOf(TOTAL))
            .divide(BigDecimal.valueOf(stableWeight + canaryWeight), 0, RoundingMode.HALF_UP);
    int canaryUnits = canary.intValueExact();
    return new WeightSplit(TOTAL - canaryUnits, canaryUnits);
  }

  /**
   * The canary's share in percent, with no trailing zeros: {@code 2.5}, {@code 0.1}, {@code 50}.
   */
  public BigDecimal percent() {
    BigDecimal percent = BigDecimal.valueOf(canary, MAX_DECIMALS).stripTrailingZeros();
    return percent.scale() < 0 ? percent.setScale(0) : percent;
  }

  @Override
  public String toString() {
    return percent().toPlainString() + "% canary";
  }
}
