package dev.clawrate.operator.alert.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.slo.BurnJudgement.Cause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BurnRateJudgeTest {

  private static final SloObjective THREE_NINES = SloObjective.availability(0.999);
  private static final BurnRule PAGE = BurnRule.PAGE;
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  private static WindowCounts hour(double total, double bad) {
    return new WindowCounts(HOUR, total, bad, HOUR);
  }

  private static WindowCounts fiveMinutes(double total, double bad) {
    return new WindowCounts(FIVE_MINUTES, total, bad, FIVE_MINUTES);
  }

  private static WindowCounts seen(Duration window, double total, double bad, Duration history) {
    return new WindowCounts(window, total, bad, history);
  }

  private static BurnJudgement judge(WindowCounts longWindow, WindowCounts shortWindow) {
    return BurnRateJudge.judge(PAGE, THREE_NINES, 100, longWindow, shortWindow, false);
  }

  @Test
  void onePointFourFourPercentOfErrorsAgainstThreeNinesBurnsFourteenPointFour() {
    BurnJudgement judgement = judge(hour(10_000, 144), fiveMinutes(1_000, 15));

    assertEquals(14.4, judgement.longBurnRate(), 1e-9);
    assertEquals(15.0, judgement.shortBurnRate(), 1e-9);
    assertEquals(Cause.BURNING, judgement.cause());
    assertEquals(SloState.FIRING, judgement.state());
    assertEquals(
        "burn rate 15.0x over 5m and 14.4x over 1h, at or above 14.4x", judgement.reason());
  }

  @Test
  void aLatencyObjectiveBurnsItsOwnBudget() {
    // 99%: a budget of 1%; 3% slow is 3x, 15% slow 15x
    SloObjective latency = SloObjective.latency(0.99, 0.1);

    BurnJudgement judgement =
        BurnRateJudge.judge(PAGE, latency, 100, hour(1_000, 150), fiveMinutes(100, 3), false);

    assertEquals(15.0, judgement.longBurnRate(), 1e-9);
    assertEquals(3.0, judgement.shortBurnRate(), 1e-9);
    assertEquals(Cause.SHORT_WINDOW_BELOW, judgement.cause());
  }

  @Test
  void justBelowTheFactorOverTheLongWindowDoesNotFire() {
    BurnJudgement judgement = judge(hour(10_000, 143), fiveMinutes(1_000, 50));

    assertEquals(Cause.LONG_WINDOW_BELOW, judgement.cause());
    assertEquals(SloState.OK, judgement.state());
    assertEquals("burn rate 14.3x over 1h, below 14.4x (50.0x over 5m)", judgement.reason());
  }

  @Test
  void aSpikeOnlyTheShortWindowSeesDoesNotFire() {
    // 5 minutes of 50% errors in an otherwise clean hour: 5x over the hour
    BurnJudgement judgement = judge(hour(10_000, 50), fiveMinutes(100, 50));

    assertEquals(500.0, judgement.shortBurnRate(), 1e-9);
    assertEquals(5.0, judgement.longBurnRate(), 1e-9);
    assertEquals(Cause.LONG_WINDOW_BELOW, judgement.cause());
  }

  @Test
  void anOutageOnlyTheLongWindowStillSeesDoesNotFire() {
    BurnJudgement judgement = judge(hour(10_000, 2_000), fiveMinutes(1_000, 0));

    assertEquals(200.0, judgement.longBurnRate(), 1e-9);
    assertEquals(Cause.SHORT_WINDOW_BELOW, judgement.cause());
    assertEquals("burn rate 0.0x over 5m, below 14.4x", judgement.reason());
  }

  @Test
  void aFiringAlertWhoseShortWindowHadNoRequestsStaysAsItIs() {
    BurnJudgement judgement =
        BurnRateJudge.judge(PAGE, THREE_NINES, 100, hour(10_000, 2_000), fiveMinutes(0, 0), true);

    assertEquals(Cause.SHORT_WINDOW_QUIET, judgement.cause());
    assertEquals(SloState.UNKNOWN, judgement.state());
    assertEquals("no requests over 5m to tell whether it still burns", judgement.reason());
  }

  @Test
  void aShortWindowWithoutRequestsDoesNotFire() {
    BurnJudgement judgement = judge(hour(10_000, 2_000), fiveMinutes(0, 0));

    assertTrue(Double.isNaN(judgement.shortBurnRate()));
    assertEquals(Cause.SHORT_WINDOW_BELOW, judgement.cause());
    assertEquals("no requests over 5m", judgement.reason());
  }

  @Test
  void fewerRequestsThanTheMinimumCannotBeJudged() {
    BurnJudgement few = judge(hour(99, 99), fiveMinutes(99, 99));

    assertEquals(Cause.TOO_LITTLE_TRAFFIC, few.cause());
    assertEquals(SloState.UNKNOWN, few.state());
    assertEquals("too little traffic to judge: 99 requests over 1h, fewer than 100", few.reason());
    assertEquals(Cause.BURNING, judge(hour(100, 100), fiveMinutes(100, 100)).cause());
  }

  @Test
  void noRequestsAreNeverEnoughWhateverTheMinimum() {
    BurnJudgement judgement =
        BurnRateJudge.judge(PAGE, THREE_NINES, 0, hour(0, 0), fiveMinutes(0, 0), false);

    assertEquals(Cause.TOO_LITTLE_TRAFFIC, judgement.cause());
    assertEquals(
        "too little traffic to judge: 0 requests over 1h, fewer than 1", judgement.reason());
  }

  @Test
  void aFiringAlertWhoseWholeLongWindowHadNoRequestResolves() {
    BurnJudgement judgement =
        BurnRateJudge.judge(PAGE, THREE_NINES, 100, hour(0, 0), fiveMinutes(0, 0), true);

    assertEquals(Cause.NO_TRAFFIC, judgement.cause());
    assertEquals(SloState.OK, judgement.state());
    assertEquals("no traffic to judge: 0 requests over 1h, fewer than 100", judgement.reason());
  }

  @Test
  void aFiringAlertWhoseFewRequestsStillFailStays() {
    BurnJudgement judgement =
        BurnRateJudge.judge(PAGE, THREE_NINES, 100, hour(42, 42), fiveMinutes(2, 2), true);

    assertEquals(Cause.TOO_LITTLE_TRAFFIC, judgement.cause());
    assertEquals(SloState.UNKNOWN, judgement.state());
  }

  @Test
  void aFiringAlertWhoseFewRequestsNoLongerFailResolves() {
    BurnJudgement judgement =
        BurnRateJudge.judge(PAGE, THREE_NINES, 100, hour(42, 40), fiveMinutes(2, 0), true);

    assertEquals(Cause.SHORT_WINDOW_BELOW, judgement.cause());
    assertEquals(SloState.OK, judgement.state());
  }

  @Test
  void aFreshOutageFiresOnPartOfTheLongWindowWhenThatPartProvesItAlone() {
    // 2 minutes seen, every request failing: 1000x over 2/60 of the hour is 33.3x for the hour
    Duration seen = Duration.ofMinutes(2);
    BurnJudgement judgement = judge(seen(HOUR, 400, 400, seen), seen(FIVE_MINUTES, 400, 400, seen));

    assertEquals(Cause.BURNING, judgement.cause());
    assertEquals(
        "burn rate 1000.0x over 5m and 1000.0x over the 2m of 1h seen so far, at or above 14.4x",
        judgement.reason());
  }

  @Test
  void aBurstOnPartOfTheLongWindowThatTheWholeWindowWouldDiluteCannotBeJudgedYet() {
    // 3 minutes seen at 5% errors: 50x, but 2.5x if the rest of the hour was clean
    Duration seen = Duration.ofMinutes(3);
    BurnJudgement judgement =
        judge(seen(HOUR, 1_000, 50, seen), seen(FIVE_MINUTES, 1_000, 50, seen));

    assertEquals(Cause.TOO_LITTLE_HISTORY, judgement.cause());
    assertEquals(SloState.UNKNOWN, judgement.state());
    assertEquals(
        "burn rate 50.0x over 5m and 50.0x over the 3m of 1h seen so far: too little history to"
            + " tell whether 1h burns 14.4x",
        judgement.reason());
    // with the whole hour seen, the same burst in an otherwise clean hour does not page
    assertEquals(Cause.LONG_WINDOW_BELOW, judge(hour(20_000, 50), fiveMinutes(1_000, 50)).cause());
  }

  @Test
  void aShortWindowThatDoesNotBurnIsAnAnswerWhateverTheHistory() {
    Duration seen = Duration.ofMinutes(3);
    BurnJudgement judgement = judge(seen(HOUR, 1_000, 0, seen), seen(FIVE_MINUTES, 1_000, 0, seen));

    assertEquals(Cause.SHORT_WINDOW_BELOW, judgement.cause());
  }

  @Test
  void tooFewRequestsOnPartOfTheLongWindowNeverResolvesAFiringAlert() {
    Duration seen = Duration.ofMinutes(3);
    BurnJudgement judgement =
        BurnRateJudge.judge(
            PAGE,
            THREE_NINES,
            100,
            seen(HOUR, 30, 30, seen),
            seen(FIVE_MINUTES, 30, 30, seen),
            true);

    assertEquals(Cause.TOO_LITTLE_HISTORY, judgement.cause());
    assertEquals(
        "too little traffic to judge yet: 30 requests over the 3m of 1h seen so far, fewer than"
            + " 100",
        judgement.reason());
  }

  @Test
  void aFactorNoBurnCanReachNeverFires() {
    BurnRule unreachable = new BurnRule(PAGE.severity(), HOUR, FIVE_MINUTES, 2_000);

    BurnJudgement judgement =
        BurnRateJudge.judge(
            unreachable, THREE_NINES, 100, hour(1_000, 1_000), fiveMinutes(100, 100), false);

    assertEquals(Cause.SHORT_WINDOW_BELOW, judgement.cause());
  }
}
