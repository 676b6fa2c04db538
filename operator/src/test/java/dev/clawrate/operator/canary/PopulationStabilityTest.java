package dev.clawrate.operator.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.metrics.Histogram;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PopulationStabilityTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  /** Ratings spread over 500..800 as a credit score model's are. */
  private static final Histogram SCORES =
      Histogram.of(
          Map.of(500.0, 20.0, 550.0, 80.0, 600.0, 200.0, 650.0, 330.0, 700.0, 400.0, INF, 420.0));

  @Test
  void identicalDistributionsAreStable() {
    assertEquals(0, PopulationStability.index(SCORES, SCORES), 1e-12);
  }

  @Test
  void theSameSharesOfMoreObservationsAreStable() {
    Histogram tenTimes = SCORES.plus(SCORES).plus(SCORES).plus(SCORES).plus(SCORES);
    tenTimes = tenTimes.plus(tenTimes);

    assertEquals(0, PopulationStability.index(tenTimes, SCORES), 1e-12);
  }

  @Test
  void matchesTheFormulaOnAHandComputedCase() {
    Histogram expected = Histogram.of(Map.of(1.0, 50.0, INF, 100.0));
    Histogram actual = Histogram.of(Map.of(1.0, 60.0, INF, 100.0));

    // (0.6 - 0.5) ln(0.6 / 0.5) + (0.4 - 0.5) ln(0.4 / 0.5)
    double hand = 0.1 * Math.log(1.2) + -0.1 * Math.log(0.8);
    assertEquals(hand, PopulationStability.index(actual, expected), 1e-12);
    assertEquals(
        PopulationStability.index(actual, expected),
        PopulationStability.index(expected, actual),
        1e-12,
        "symmetric");
  }

  @Test
  void aShiftedDistributionIsASignificantChange() {
    // Every rating moved up one bucket (about 50 points).
    Histogram shifted =
        Histogram.of(
            Map.of(
                500.0, 0.0, 550.0, 20.0, 600.0, 80.0, 650.0, 200.0, 700.0, 330.0, 750.0, 400.0, INF,
                420.0));

    double index = PopulationStability.index(shifted, SCORES);

    assertTrue(index > 0.25, "PSI " + index);
  }

  @Test
  void aSmallDriftIsBelowTheSignificanceThreshold() {
    Histogram drifted =
        Histogram.of(
            Map.of(500.0, 22.0, 550.0, 85.0, 600.0, 205.0, 650.0, 330.0, 700.0, 398.0, INF, 420.0));

    double index = PopulationStability.index(drifted, SCORES);

    assertTrue(index > 0 && index < 0.1, "PSI " + index);
  }

  @Test
  void emptyBucketsCountAsEpsilonNotInfinity() {
    Histogram lowOnly = Histogram.of(Map.of(1.0, 10.0, INF, 10.0));
    Histogram highOnly = Histogram.of(Map.of(1.0, 0.0, INF, 10.0));

    double e = PopulationStability.EPSILON;
    assertEquals(2 * (1 - e) * Math.log(1 / e), PopulationStability.index(lowOnly, highOnly), 1e-9);
  }

  @Test
  void nothingToCompareIsNotANumber() {
    assertTrue(Double.isNaN(PopulationStability.index(Histogram.EMPTY, SCORES)));
    assertTrue(Double.isNaN(PopulationStability.index(SCORES, Histogram.EMPTY)));
  }
}
