package dev.clawrate.operator.alert.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloObjectiveTest {

  @Test
  void availabilityCountsServerErrorsAsBad() {
    SloObjective.Events events =
        SloObjective.availability(0.999).events(SloSamples.requests(1_000, 7));

    assertEquals(new SloObjective.Events(1_000, 7), events);
  }

  @Test
  void latencyCountsWhatTheHistogramSawAboveTheThreshold() {
    // 90 answered in 40 ms, 10 in 80 ms
    RaterSample increment = SloSamples.latency(90, 10);

    assertEquals(
        new SloObjective.Events(100, 0), SloObjective.latency(0.99, 0.1).events(increment));
    assertEquals(
        new SloObjective.Events(100, 10), SloObjective.latency(0.99, 0.05).events(increment));
  }

  @Test
  void aThresholdBetweenBucketBoundsIsJudgedAtTheBoundBelowIt() {
    // 75 ms lies between the 50 ms and 100 ms bounds: the 80 ms requests count as slow, which
    // they are, and so would 60 ms ones, which they are not: never the other way round
    SloObjective objective = SloObjective.latency(0.99, 0.075);
    RaterSample increment = SloSamples.latency(90, 10);

    assertEquals(new SloObjective.Events(100, 10), objective.events(increment));
    assertEquals(0.05, objective.judgedAtSeconds(increment.latencySeconds()));
    assertEquals(0.1, SloObjective.latency(0.99, 0.1).judgedAtSeconds(increment.latencySeconds()));
  }

  @Test
  void aThresholdBelowEveryBoundCountsEveryRequestSlow() {
    SloObjective objective = SloObjective.latency(0.99, 0.00005);
    RaterSample increment = SloSamples.latency(90, 10);

    assertEquals(new SloObjective.Events(100, 100), objective.events(increment));
    assertEquals(0, objective.judgedAtSeconds(increment.latencySeconds()));
  }

  @Test
  void withoutALatencyHistogramNothingIsCountedOrJudged() {
    SloObjective objective = SloObjective.latency(0.99, 0.1);

    assertEquals(new SloObjective.Events(0, 0), objective.events(RaterSample.EMPTY));
    assertTrue(Double.isNaN(objective.judgedAtSeconds(Histogram.EMPTY)));
    assertTrue(
        Double.isNaN(
            SloObjective.availability(0.999)
                .judgedAtSeconds(SloSamples.latency(1, 1).latencySeconds())));
  }

  @Test
  void theBudgetAndTheHighestBurnRateFollowTheTarget() {
    SloObjective objective = SloObjective.availability(0.999);

    assertEquals(0.001, objective.budget(), 1e-12);
    assertEquals(1000, objective.maxBurnRate(), 1e-9);
  }

  @Test
  void targetsAndThresholdsOutOfRangeAreRefusedSayingWhatIsExpected() {
    for (double target : new double[] {0, 1, 1.5, -0.1, Double.NaN, 99.9}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SloObjective.availability(target));
      assertEquals(
          "the availability target must be above 0 and below 1 (0.999 is 99.9%)", e.getMessage());
    }
    for (double threshold : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SloObjective.latency(0.99, threshold));
      assertEquals(
          "the latency threshold must be a number of seconds above 0 (0.1 is 100 ms)",
          e.getMessage());
    }
    assertNull(SloObjective.whyNotTarget(0.5));
    assertNull(SloObjective.whyNotThreshold(0.001));
    assertThrows(
        IllegalArgumentException.class, () -> new SloObjective(AlertKind.REGION, 0.9, Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> new SloObjective(AlertKind.AVAILABILITY, 0.9, 0.1));
  }

  @Test
  void objectivesListWhatTheTenantHasAvailabilityFirst() {
    SloObjective availability = SloObjective.availability(0.999);
    SloObjective latency = SloObjective.latency(0.99, 0.1);

    assertEquals(
        List.of(availability, latency), new SloObjectives(availability, latency).enabled());
    assertEquals(List.of(latency), new SloObjectives(null, latency).enabled());
    assertEquals(List.of(), new SloObjectives(null, null).enabled());
    assertThrows(IllegalArgumentException.class, () -> new SloObjectives(latency, null));
  }
}
