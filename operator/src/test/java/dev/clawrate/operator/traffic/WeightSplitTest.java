package dev.clawrate.operator.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class WeightSplitTest {

  @Test
  void aShareInPercentBecomesWeightsOfOneHundredThousand() {
    assertEquals(new WeightSplit(99_900, 100), WeightSplit.canaryPercent(0.1));
    assertEquals(new WeightSplit(97_500, 2_500), WeightSplit.canaryPercent(2.5));
    assertEquals(new WeightSplit(50_000, 50_000), WeightSplit.canaryPercent(50));
    assertEquals(new WeightSplit(99_999, 1), WeightSplit.canaryPercent("0.001"));
    assertEquals(
        new WeightSplit(87_655, 12_345), WeightSplit.canaryPercent(new BigDecimal("12.345")));
    assertEquals(WeightSplit.ALL_STABLE, WeightSplit.canaryPercent(0));
    assertEquals(WeightSplit.ALL_CANARY, WeightSplit.canaryPercent(100));
    assertEquals(WeightSplit.ALL_CANARY, WeightSplit.canaryPercent("100.000"));
  }

  @Test
  void percentGivesTheShareBack() {
    for (String percent :
        new String[] {"0", "0.001", "0.1", "2.5", "12.345", "50", "99.999", "100"}) {
      WeightSplit split = WeightSplit.canaryPercent(percent);
      assertEquals(percent, split.percent().toPlainString());
      assertEquals(split, WeightSplit.canaryPercent(split.percent()));
    }
    assertEquals("2.5% canary", WeightSplit.canaryPercent(2.5).toString());
  }

  @Test
  void splitsAreEqualWhenTheirWeightsAre() {
    assertEquals(WeightSplit.canaryPercent("2.50"), WeightSplit.canaryPercent(2.5));
    assertEquals(
        WeightSplit.canaryPercent(2.5).hashCode(), WeightSplit.canaryPercent("2.500").hashCode());
    assertNotEquals(WeightSplit.canaryPercent(2.5), WeightSplit.canaryPercent(2.501));
  }

  @Test
  void sharesOutsideZeroToHundredAreRefused() {
    for (String percent : new String[] {"-0.001", "-1", "100.001", "1e3"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WeightSplit.canaryPercent(percent));
      assertEquals("the canary share must be between 0 and 100 percent", e.getMessage());
    }
  }

  @Test
  void sharesFinerThanAThousandthOfAPercentAreRefused() {
    for (String percent : new String[] {"0.0001", "2.5001", "99.9999"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WeightSplit.canaryPercent(percent));
      assertTrue(e.getMessage().contains("at most 3 decimals"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> WeightSplit.canaryPercent(1e-4));
  }

  @Test
  void malformedSharesAreRefusedWithoutEchoingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WeightSplit.canaryPercent("5%<script>"));
    assertEquals("the canary share is not a decimal number", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WeightSplit.canaryPercent(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> WeightSplit.canaryPercent(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> WeightSplit.canaryPercent((String) null));
    assertThrows(
        IllegalArgumentException.class, () -> WeightSplit.canaryPercent((BigDecimal) null));
  }

  @Test
  void weightsMustSumToOneHundredThousand() {
    assertThrows(IllegalArgumentException.class, () -> new WeightSplit(50, 50));
    assertThrows(IllegalArgumentException.class, () -> new WeightSplit(100_001, -1));
  }

  @Test
  void relativeWeightsBecomeTheNearestSplit() {
    assertEquals(WeightSplit.canaryPercent(20), WeightSplit.ofRelative(80, 20));
    assertEquals(WeightSplit.canaryPercent(50), WeightSplit.ofRelative(1, 1));
    assertEquals(WeightSplit.canaryPercent("66.667"), WeightSplit.ofRelative(1, 2));
    assertEquals(WeightSplit.canaryPercent("0.1"), WeightSplit.ofRelative(999_000, 1_000));
    assertEquals(WeightSplit.ALL_STABLE, WeightSplit.ofRelative(1_000_000, 0));
    assertEquals(WeightSplit.ALL_CANARY, WeightSplit.ofRelative(0, Integer.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> WeightSplit.ofRelative(0, 0));
    assertThrows(IllegalArgumentException.class, () -> WeightSplit.ofRelative(-1, 2));
  }
}
