package dev.clawrate.operator.alert.slo;

import static dev.clawrate.operator.alert.slo.SloSamples.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Severity;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class SloLedgerTest {

  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final ResourceKey ACME = ResourceKey.tenant("team-a", "acme-bank");
  private static final ResourceKey GLOBEX = ResourceKey.tenant("team-b", "globex");
  private static final SloObjectives BOTH =
      new SloObjectives(SloObjective.availability(0.999), SloObjective.latency(0.99, 0.1));
  private static final SloPolicy POLICY = SloPolicy.of(BOTH);
  private static final BiPredicate<AlertKind, Severity> NONE_FIRING = (kind, severity) -> false;
  private static final BiPredicate<AlertKind, Severity> AVAILABILITY_PAGE_FIRING =
      (kind, severity) -> kind == AlertKind.AVAILABILITY && severity == Severity.PAGE;

  private static final RaterSample HEALTHY = SloSamples.requests(100, 0);
  private static final RaterSample FAILING = SloSamples.requests(100, 100);

  private final SloLedger ledger = new SloLedger(INTERVAL);

  /** Round {@code n} of the evaluator: 30 s apart. */
  private static Instant at(int round) {
    return T0.plus(INTERVAL.multipliedBy(round));
  }

  private List<SloVerdict> round(
      int n, Map<String, RaterSample> increments, BiPredicate<AlertKind, Severity> firing) {
    increments.forEach(
        (region, increment) -> ledger.record(ACME, POLICY, region, increment, at(n)));
    return ledger.evaluate(ACME, POLICY, firing, at(n));
  }

  private static SloVerdict find(List<SloVerdict> verdicts, AlertKind kind, Severity severity) {
    return verdicts.stream()
        .filter(v -> v.kind() == kind && v.severity() == severity)
        .findFirst()
        .orElseThrow();
  }

  private static SloVerdict availabilityPage(List<SloVerdict> verdicts) {
    return find(verdicts, AlertKind.AVAILABILITY, Severity.PAGE);
  }

  /** Rounds from {@code first} on with {@code increment} until the page fires; their number. */
  private int roundsUntilPaged(int first, RaterSample increment) {
    for (int n = first; n < first + 240; n++) {
      if (availabilityPage(round(n, Map.of("local", increment), NONE_FIRING)).state()
          == SloState.FIRING) {
        return n - first + 1;
      }
    }
    throw new AssertionError("never paged");
  }

  @Test
  void aFreshOutagePagesAsSoonAsItDoesWithAWholeHourOfHistory() {
    for (int n = 1; n <= 240; n++) {
      round(n, Map.of("local", HEALTHY), NONE_FIRING);
    }
    // 1000x: two rounds of 120 in the hour are 16.7x
    assertEquals(2, roundsUntilPaged(241, FAILING));

    SloLedger fresh = new SloLedger(INTERVAL);
    int rounds = 0;
    SloState state = SloState.UNKNOWN;
    while (state != SloState.FIRING) {
      rounds++;
      fresh.record(ACME, POLICY, "local", FAILING, at(rounds));
      state = availabilityPage(fresh.evaluate(ACME, POLICY, NONE_FIRING, at(rounds))).state();
      assertTrue(rounds < 240, "never paged");
    }
    assertEquals(2, rounds);
  }

  @Test
  void anAlertResolvesSoonAfterTheBurnStopsThoughTheLongWindowStillBurns() {
    for (int n = 1; n <= 240; n++) {
      round(n, Map.of("local", HEALTHY), NONE_FIRING);
    }
    for (int n = 241; n <= 250; n++) {
      round(n, Map.of("local", FAILING), AVAILABILITY_PAGE_FIRING);
    }
    int n = 250;
    SloVerdict verdict;
    do {
      n++;
      verdict = availabilityPage(round(n, Map.of("local", HEALTHY), AVAILABILITY_PAGE_FIRING));
    } while (verdict.state() == SloState.FIRING);

    // the short window forgets the last failing round 5 m to 5 m 25 s after it
    assertEquals(11, n - 250);
    assertEquals(SloState.OK, verdict.state());
    assertTrue(verdict.longBurnRate() > 14.4, "the hour still burns " + verdict.longBurnRate());
    assertEquals("local: burn rate 0.0x over 5m, below 14.4x", verdict.reason());
  }

  @Test
  void anOperatorRestartedInAnOutageKeepsItsAlertUntilItCanTell() {
    SloVerdict first =
        availabilityPage(round(1, Map.of("local", FAILING), AVAILABILITY_PAGE_FIRING));
    assertEquals(SloState.UNKNOWN, first.state());
    assertEquals(
        "local: burn rate 1000.0x over 5m and 1000.0x over the 30s of 1h seen so far: too little"
            + " history to tell whether 1h burns 14.4x",
        first.reason());
    assertEquals(
        SloState.FIRING,
        availabilityPage(round(2, Map.of("local", FAILING), AVAILABILITY_PAGE_FIRING)).state());
  }

  @Test
  void anOperatorRestartedAfterAnOutageResolvesItsAlertOnTheFirstRound() {
    SloVerdict verdict =
        availabilityPage(round(1, Map.of("local", HEALTHY), AVAILABILITY_PAGE_FIRING));

    assertEquals(SloState.OK, verdict.state());
  }

  @Test
  void aFiringAlertStaysWhileItsFewRequestsFailAndResolvesOnceAWholeLongWindowHadNone() {
    // one failing request every other round: 60 in an hour, every one failing
    for (int n = 1; n <= 120; n++) {
      SloVerdict verdict = availabilityPage(round(n, trickle(n), AVAILABILITY_PAGE_FIRING));
      assertEquals(SloState.UNKNOWN, verdict.state(), "round " + n);
    }
    int resolved = 0;
    SloVerdict verdict = null;
    for (int n = 121; n <= 260 && resolved == 0; n++) {
      verdict =
          availabilityPage(round(n, Map.of("local", RaterSample.EMPTY), AVAILABILITY_PAGE_FIRING));
      if (verdict.state() != SloState.UNKNOWN) {
        resolved = n;
      }
    }
    // The last request came at round 120; the hour (and a twelfth) holds none from round 251 on.
    assertTrue(resolved >= 240 && resolved <= 251, "resolved at round " + resolved);
    assertEquals(SloState.OK, verdict.state());
    assertEquals(
        "local: no traffic to judge: 0 requests over 1h, fewer than 100", verdict.reason());
  }

  @Test
  void aFiringAlertResolvesOnAFewRequestsThatNoLongerFail() {
    for (int n = 1; n <= 10; n++) {
      round(n, trickle(n), AVAILABILITY_PAGE_FIRING);
    }
    SloVerdict verdict =
        availabilityPage(
            round(11, Map.of("local", SloSamples.requests(5, 0)), AVAILABILITY_PAGE_FIRING));
    // 5 failing and 5 good over the 5 minutes: 500x, still burning
    assertEquals(SloState.UNKNOWN, verdict.state());
    for (int n = 12; n <= 22; n++) {
      verdict =
          availabilityPage(
              round(n, Map.of("local", SloSamples.requests(5, 0)), AVAILABILITY_PAGE_FIRING));
    }
    assertEquals(SloState.OK, verdict.state(), verdict.reason());
  }

  private static Map<String, RaterSample> trickle(int round) {
    return Map.of("local", round % 2 == 0 ? SloSamples.requests(1, 1) : RaterSample.EMPTY);
  }

  @Test
  void anyRegionsOutagePagesAndNamesTheRegion() {
    Map<String, RaterSample> regions =
        Map.of("local", HEALTHY, "eu-west", FAILING, "us-east", SloSamples.requests(1, 0));
    List<SloVerdict> verdicts = null;
    for (int n = 1; n <= 2; n++) {
      verdicts = round(n, regions, NONE_FIRING);
    }

    SloVerdict page = availabilityPage(verdicts);
    assertEquals(SloState.FIRING, page.state());
    assertEquals(List.of("eu-west"), page.regions());
    assertEquals(1000.0, page.burnRate(), 1e-9);
    assertEquals(
        "eu-west: burn rate 1000.0x over 5m and 1000.0x over the 1m of 1h seen so far, at or"
            + " above 14.4x; local: burn rate 0.0x over 5m, below 14.4x; us-east: too little"
            + " traffic to judge yet: 2 requests over the 1m of 1h seen so far, fewer than 100",
        page.reason());
  }

  @Test
  void latencyIsJudgedAtTheBucketBoundBelowTheThreshold() {
    SloPolicy slowAt75ms =
        SloPolicy.of(
            new SloObjectives(SloObjective.availability(0.999), SloObjective.latency(0.99, 0.075)));
    // 20% of requests take 80 ms: slow at 75 ms (judged at 50 ms), fast at 100 ms
    RaterSample increment = SloSamples.latency(80, 20);
    List<SloVerdict> judgedAt50 = null;
    List<SloVerdict> judgedAt100 = null;
    SloLedger at100 = new SloLedger(INTERVAL);
    for (int n = 1; n <= 240; n++) {
      ledger.record(ACME, slowAt75ms, "local", increment, at(n));
      judgedAt50 = ledger.evaluate(ACME, slowAt75ms, NONE_FIRING, at(n));
      at100.record(ACME, POLICY, "local", increment, at(n));
      judgedAt100 = at100.evaluate(ACME, POLICY, NONE_FIRING, at(n));
    }

    SloVerdict slow = find(judgedAt50, AlertKind.LATENCY, Severity.PAGE);
    assertEquals(SloState.FIRING, slow.state());
    assertEquals(20.0, slow.burnRate(), 1e-6);
    assertEquals(0.05, slow.judgedAtSeconds());
    SloVerdict fast = find(judgedAt100, AlertKind.LATENCY, Severity.PAGE);
    assertEquals(SloState.OK, fast.state());
    assertEquals(0.1, fast.judgedAtSeconds());
    assertTrue(Double.isNaN(availabilityPage(judgedAt50).judgedAtSeconds()));
    assertEquals(
        List.of(
            AlertKind.AVAILABILITY, AlertKind.AVAILABILITY, AlertKind.LATENCY, AlertKind.LATENCY),
        judgedAt50.stream().map(SloVerdict::kind).toList());
    assertEquals(
        List.of(Severity.PAGE, Severity.TICKET, Severity.PAGE, Severity.TICKET),
        judgedAt50.stream().map(SloVerdict::severity).toList());
  }

  @Test
  void aNewLatencyThresholdStartsTheLatencyCountersAfreshAndANewTargetDoesNot() {
    round(1, Map.of("local", HEALTHY), NONE_FIRING);
    SloPolicy newTargets =
        SloPolicy.of(
            new SloObjectives(SloObjective.availability(0.99), SloObjective.latency(0.95, 0.1)));
    SloPolicy newThreshold =
        SloPolicy.of(
            new SloObjectives(SloObjective.availability(0.99), SloObjective.latency(0.95, 0.25)));

    List<SloVerdict> sameCounts = ledger.evaluate(ACME, newTargets, NONE_FIRING, at(1));
    assertEquals(
        "local: burn rate 0.0x over 5m, below 14.4x",
        find(sameCounts, AlertKind.LATENCY, Severity.PAGE).reason());

    List<SloVerdict> verdicts = ledger.evaluate(ACME, newThreshold, NONE_FIRING, at(1));
    assertEquals(
        "no region has reported yet", find(verdicts, AlertKind.LATENCY, Severity.PAGE).reason());
    assertEquals("local: burn rate 0.0x over 5m, below 14.4x", availabilityPage(verdicts).reason());
  }

  @Test
  void rulesWithOtherWindowsStartEveryCounterAfreshAndAnotherFactorDoesNot() {
    round(1, Map.of("local", HEALTHY), NONE_FIRING);
    BurnRule slowerPage =
        new BurnRule(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 10);
    BurnRule longerTicket =
        new BurnRule(Severity.TICKET, Duration.ofHours(12), Duration.ofMinutes(30), 6);

    SloPolicy otherFactor =
        new SloPolicy(BOTH, new BurnWindows(List.of(slowerPage, BurnRule.TICKET)), 100);
    assertEquals(
        "local: burn rate 0.0x over 5m, below 10.0x",
        availabilityPage(ledger.evaluate(ACME, otherFactor, NONE_FIRING, at(1))).reason());

    SloPolicy otherWindows =
        new SloPolicy(BOTH, new BurnWindows(List.of(BurnRule.PAGE, longerTicket)), 100);
    List<SloVerdict> verdicts = ledger.evaluate(ACME, otherWindows, NONE_FIRING, at(1));
    assertEquals(4, verdicts.size());
    verdicts.forEach(v -> assertEquals("no region has reported yet", v.reason()));
  }

  @Test
  void aTenantWithOneObjectiveGetsItsVerdictsOnly() {
    SloPolicy latencyOnly = SloPolicy.of(new SloObjectives(null, SloObjective.latency(0.99, 0.1)));
    ledger.record(ACME, latencyOnly, "local", HEALTHY, at(1));

    List<SloVerdict> verdicts = ledger.evaluate(ACME, latencyOnly, NONE_FIRING, at(1));
    assertEquals(
        List.of(AlertKind.LATENCY, AlertKind.LATENCY),
        verdicts.stream().map(SloVerdict::kind).toList());
    assertEquals(
        List.of(),
        ledger.evaluate(ACME, SloPolicy.of(new SloObjectives(null, null)), NONE_FIRING, at(1)));
  }

  @Test
  void tenantsAndRegionsCanBeDropped() {
    round(1, Map.of("local", HEALTHY, "eu-west", HEALTHY), NONE_FIRING);
    ledger.record(GLOBEX, POLICY, "local", HEALTHY, at(1));
    assertEquals(2, ledger.size());

    ledger.retainRegions(ACME, Set.of("local"));
    assertEquals(
        "local: burn rate 0.0x over 5m, below 14.4x",
        availabilityPage(ledger.evaluate(ACME, POLICY, NONE_FIRING, at(1))).reason());

    ledger.retainOnly(Set.of(ACME));
    assertEquals(1, ledger.size());
    assertEquals(
        "no region has reported yet",
        availabilityPage(ledger.evaluate(GLOBEX, POLICY, NONE_FIRING, at(1))).reason());
    assertEquals(1, ledger.size(), "evaluating a tenant without counters keeps none");

    ledger.forget(ACME);
    assertEquals(0, ledger.size());
  }

  @Test
  void aClockThatStepsBackLosesNothing() {
    ledger.record(ACME, POLICY, "local", FAILING, at(10));
    ledger.record(ACME, POLICY, "local", FAILING, at(2));
    ledger.record(ACME, POLICY, "local", FAILING, at(3));

    // the step back stood still: 30 s of history before it, 30 s after
    SloVerdict page = availabilityPage(ledger.evaluate(ACME, POLICY, NONE_FIRING, at(3)));
    assertEquals(SloState.FIRING, page.state());
    assertEquals(
        "local: burn rate 1000.0x over 5m and 1000.0x over the 1m of 1h seen so far, at or"
            + " above 14.4x",
        page.reason());
  }

  @Test
  void anUnusablePolicyOrRegionNameIsRefusedWithTheReason() {
    SloPolicy unreachable = SloPolicy.of(new SloObjectives(SloObjective.availability(0.9), null));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ledger.record(ACME, unreachable, "local", HEALTHY, T0));
    assertEquals(
        "the SLO of TenantConfig team-a/acme-bank cannot be evaluated: the page rule's burn-rate"
            + " factor 14.4 can never be reached by the availability target 0.9: its burn rate is"
            + " at most 10.0, when every request is bad",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> ledger.evaluate(ACME, unreachable, NONE_FIRING, T0));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ledger.record(ACME, POLICY, "EU_West\n", HEALTHY, T0));
    assertEquals("a region name must be a DNS label", e.getMessage());
    assertEquals(0, ledger.size());
    assertThrows(IllegalArgumentException.class, () -> new SloLedger(Duration.ZERO));
  }

  @Test
  void verdictsListRegionsSortedWhateverTheOrderTheyWereRecordedIn() {
    Map<String, RaterSample> regions = new TreeMap<>(java.util.Comparator.reverseOrder());
    regions.put("a-region", FAILING);
    regions.put("b-region", FAILING);
    regions.put("c-region", FAILING);
    List<SloVerdict> verdicts = null;
    for (int n = 1; n <= 2; n++) {
      verdicts = round(n, regions, NONE_FIRING);
    }

    assertEquals(List.of("a-region", "b-region", "c-region"), availabilityPage(verdicts).regions());
  }
}
