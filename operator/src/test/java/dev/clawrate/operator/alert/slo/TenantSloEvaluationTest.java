package dev.clawrate.operator.alert.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Severity;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantSloEvaluationTest {

  private static final SloObjective AVAILABILITY = SloObjective.availability(0.999);
  private static final BurnWindows PAGE_ONLY = new BurnWindows(List.of(BurnRule.PAGE));
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  /** A region whose hour and last five minutes hold these counts, seen for {@code history}. */
  private static Map<Duration, WindowCounts> region(
      double hourTotal, double hourBad, double recentTotal, double recentBad, Duration history) {
    Map<Duration, WindowCounts> windows = new HashMap<>();
    windows.put(HOUR, new WindowCounts(HOUR, hourTotal, hourBad, min(history, HOUR)));
    windows.put(
        FIVE_MINUTES,
        new WindowCounts(FIVE_MINUTES, recentTotal, recentBad, min(history, FIVE_MINUTES)));
    return windows;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static Map<Duration, WindowCounts> burning(double recentBad) {
    return region(10_000, 2_000, 1_000, recentBad, HOUR);
  }

  private static Map<Duration, WindowCounts> healthy() {
    return region(10_000, 0, 1_000, 0, HOUR);
  }

  private static Map<Duration, WindowCounts> quiet() {
    return region(10, 0, 1, 0, HOUR);
  }

  private static SloVerdict page(Map<String, Map<Duration, WindowCounts>> regions) {
    return page(regions, Set.of());
  }

  private static SloVerdict page(
      Map<String, Map<Duration, WindowCounts>> regions, Set<Severity> firing) {
    List<SloVerdict> verdicts =
        TenantSloEvaluation.evaluate(AVAILABILITY, Double.NaN, regions, PAGE_ONLY, 100, firing);
    assertEquals(1, verdicts.size());
    return verdicts.get(0);
  }

  @Test
  void anAlertFiresWhenAnyRegionFiresAndNamesTheFiringRegions() {
    SloVerdict verdict =
        page(
            Map.of(
                "us-east", burning(100),
                "eu-west", burning(300),
                "local", healthy()));

    assertEquals(SloState.FIRING, verdict.state());
    assertEquals(List.of("eu-west", "us-east"), verdict.regions());
    // the highest short-window burn rate among the firing regions, and that region's long one
    assertEquals(300.0, verdict.burnRate(), 1e-9);
    assertEquals(200.0, verdict.longBurnRate(), 1e-9);
    assertEquals(14.4, verdict.burnThreshold());
    assertEquals(AlertKind.AVAILABILITY, verdict.kind());
    assertEquals(Severity.PAGE, verdict.severity());
    assertEquals(HOUR, verdict.longWindow());
    assertEquals(FIVE_MINUTES, verdict.shortWindow());
    assertEquals(
        "eu-west: burn rate 300.0x over 5m and 200.0x over 1h, at or above 14.4x;"
            + " local: burn rate 0.0x over 5m, below 14.4x;"
            + " us-east: burn rate 100.0x over 5m and 200.0x over 1h, at or above 14.4x",
        verdict.reason());
  }

  @Test
  void aRegionThatCannotTellYetKeepsTheAlertAsItIs() {
    // local's operator sees only 3 minutes of a burst the hour may or may not dilute
    Duration threeMinutes = Duration.ofMinutes(3);
    SloVerdict verdict =
        page(
            Map.of(
                "local", region(1_000, 50, 1_000, 50, threeMinutes),
                "eu-west", healthy()),
            Set.of(Severity.PAGE));

    assertEquals(SloState.UNKNOWN, verdict.state());
    assertEquals(List.of(), verdict.regions());
  }

  @Test
  void aRegionWithTooLittleTrafficEverDoesNotKeepAnAlertOthersResolved() {
    SloVerdict verdict = page(Map.of("local", quiet(), "eu-west", healthy()));

    assertEquals(SloState.OK, verdict.state());
    assertEquals(
        "eu-west: burn rate 0.0x over 5m, below 14.4x;"
            + " local: too little traffic to judge: 10 requests over 1h, fewer than 100",
        verdict.reason());
  }

  @Test
  void withNoRegionJudgedTheAlertIsUnknownUnlessItFiresWithNothingToJudgeItOn() {
    Map<String, Map<Duration, WindowCounts>> quietEverywhere =
        Map.of("local", quiet(), "eu-west", quiet());

    assertEquals(SloState.UNKNOWN, page(quietEverywhere).state());
    SloVerdict firing = page(quietEverywhere, Set.of(Severity.PAGE));
    assertEquals(SloState.OK, firing.state(), "the few requests there are no longer fail");
    assertEquals(
        "eu-west: burn rate 0.0x over 5m, below 14.4x; local: burn rate 0.0x over 5m, below 14.4x",
        firing.reason());
  }

  @Test
  void aTenantNoRegionReportedForIsUnknown() {
    SloVerdict verdict = page(Map.of());

    assertEquals(SloState.UNKNOWN, verdict.state());
    assertEquals("no region has reported yet", verdict.reason());
    assertTrue(Double.isNaN(verdict.burnRate()));
    assertTrue(Double.isNaN(verdict.longBurnRate()));
  }

  @Test
  void aVerdictThatDoesNotFireShowsTheHighestShortWindowBurnRate() {
    SloVerdict verdict =
        page(
            Map.of(
                "local", region(10_000, 10, 1_000, 5, HOUR),
                "eu-west", region(10_000, 0, 0, 0, HOUR),
                "us-east", region(10_000, 10, 1_000, 2, HOUR)));

    assertEquals(SloState.OK, verdict.state());
    assertEquals(5.0, verdict.burnRate(), 1e-9);
    assertEquals(1.0, verdict.longBurnRate(), 1e-9);
  }

  @Test
  void eachRuleHasItsVerdictInTheRulesOrder() {
    Map<Duration, WindowCounts> windows = new HashMap<>(burning(1_000));
    // the ticket's windows: 10% bad over 30m, but only 0.5% (5x) over 6h
    windows.put(
        Duration.ofHours(6),
        new WindowCounts(Duration.ofHours(6), 60_000, 300, Duration.ofHours(6)));
    windows.put(
        Duration.ofMinutes(30),
        new WindowCounts(Duration.ofMinutes(30), 5_000, 500, Duration.ofMinutes(30)));

    List<SloVerdict> verdicts =
        TenantSloEvaluation.evaluate(
            SloObjective.latency(0.999, 0.1),
            0.1,
            Map.of("local", windows),
            BurnWindows.DEFAULTS,
            100,
            Set.of());

    assertEquals(2, verdicts.size());
    assertEquals(Severity.PAGE, verdicts.get(0).severity());
    assertEquals(SloState.FIRING, verdicts.get(0).state());
    assertEquals(Severity.TICKET, verdicts.get(1).severity());
    assertEquals(SloState.OK, verdicts.get(1).state());
    assertEquals(
        "local: burn rate 5.0x over 6h, below 6.0x (100.0x over 30m)", verdicts.get(1).reason());
    assertEquals(AlertKind.LATENCY, verdicts.get(1).kind());
    assertEquals(0.1, verdicts.get(1).judgedAtSeconds());
  }
}
