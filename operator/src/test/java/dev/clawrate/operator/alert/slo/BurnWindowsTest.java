package dev.clawrate.operator.alert.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.operator.alert.Severity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurnWindowsTest {

  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final SloObjectives BOTH =
      new SloObjectives(SloObjective.availability(0.999), SloObjective.latency(0.99, 0.1));

  private static String whyNot(SloObjectives objectives, BurnRule... rules) {
    return new BurnWindows(List.of(rules)).whyNotUsable(objectives, INTERVAL);
  }

  private static BurnRule page(Duration longWindow, Duration shortWindow, double factor) {
    return new BurnRule(Severity.PAGE, longWindow, shortWindow, factor);
  }

  @Test
  void theDefaultsAreTheWorkbooksTwoPairs() {
    assertEquals(
        List.of(
            new BurnRule(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
            new BurnRule(Severity.TICKET, Duration.ofHours(6), Duration.ofMinutes(30), 6)),
        BurnWindows.DEFAULTS.rules());
    assertNull(BurnWindows.DEFAULTS.whyNotUsable(BOTH, INTERVAL));
    assertEquals(
        List.of(
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(6)),
        BurnWindows.DEFAULTS.layout().windows());
  }

  @Test
  void rulesNeedNotBeUsedWithAnyObjective() {
    assertNull(BurnWindows.DEFAULTS.whyNotUsable(new SloObjectives(null, null), INTERVAL));
  }

  @Test
  void atLeastOneRuleIsNeeded() {
    assertEquals("at least one burn-rate rule is needed", whyNot(BOTH));
  }

  @Test
  void theShortWindowMustBeShorterThanTheLongOne() {
    assertEquals(
        "the page rule's short window (1h) must be shorter than its long window (5m)",
        whyNot(BOTH, page(Duration.ofMinutes(5), Duration.ofHours(1), 14.4)));
    assertEquals(
        "the page rule's short window (1h) must be shorter than its long window (1h)",
        whyNot(BOTH, page(Duration.ofHours(1), Duration.ofHours(1), 14.4)));
  }

  @Test
  void windowsMustBeAtLeastAMillisecond() {
    assertEquals(
        "the page rule's windows must be at least 1ms long",
        whyNot(BOTH, page(Duration.ofHours(1), Duration.ZERO, 14.4)));
    assertEquals(
        "the page rule's windows must be at least 1ms long",
        whyNot(BOTH, page(Duration.ofHours(-1), Duration.ofMinutes(5), 14.4)));
  }

  @Test
  void theShortWindowMustHoldAnEvaluationInterval() {
    assertEquals(
        "the page rule's short window (10s) must not be shorter than the evaluation interval"
            + " (30s)",
        whyNot(BOTH, page(Duration.ofHours(1), Duration.ofSeconds(10), 14.4)));
    assertNull(whyNot(BOTH, page(Duration.ofHours(1), INTERVAL, 14.4)));
  }

  @Test
  void theFactorMustBeANumberAboveZero() {
    for (double factor : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertEquals(
          "the page rule's burn-rate factor must be a number above 0",
          whyNot(BOTH, page(Duration.ofHours(1), Duration.ofMinutes(5), factor)));
    }
  }

  @Test
  void aFactorNoObjectiveCanReachIsRefusedWithItsCeiling() {
    SloObjectives ninety = new SloObjectives(SloObjective.availability(0.9), null);

    assertEquals(
        "the page rule's burn-rate factor 14.4 can never be reached by the availability target"
            + " 0.9: its burn rate is at most 10.0, when every request is bad",
        whyNot(ninety, BurnRule.PAGE));
    // every request bad is exactly 10x: reachable
    assertNull(whyNot(ninety, page(Duration.ofHours(1), Duration.ofMinutes(5), 10)));
  }

  @Test
  void theLatencyTargetBoundsTheFactorToo() {
    SloObjectives slowLatency =
        new SloObjectives(SloObjective.availability(0.999), SloObjective.latency(0.9, 0.1));

    assertEquals(
        "the page rule's burn-rate factor 14.4 can never be reached by the latency target 0.9:"
            + " its burn rate is at most 10.0, when every request is bad",
        whyNot(slowLatency, BurnRule.PAGE));
  }

  @Test
  void oneRulePerSeverity() {
    assertEquals(
        "there are two page rules: one rule per severity",
        whyNot(BOTH, BurnRule.PAGE, page(Duration.ofHours(6), Duration.ofMinutes(30), 6)));
  }

  @Test
  void aPolicyIsUsableWhenItsRulesAre() {
    assertNull(SloPolicy.of(BOTH).whyNotUsable(INTERVAL));
    assertEquals(
        "the page rule's short window (5m) must not be shorter than the evaluation interval"
            + " (1h)",
        SloPolicy.of(BOTH).whyNotUsable(Duration.ofHours(1)));
  }
}
