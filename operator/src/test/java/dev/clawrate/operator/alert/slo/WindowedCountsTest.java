package dev.clawrate.operator.alert.slo;

import static dev.clawrate.operator.alert.slo.SloSamples.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedCountsTest {

  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration SUB = Duration.ofSeconds(25);
  private static final WindowLayout LAYOUT = new WindowLayout(List.of(HOUR, FIVE_MINUTES));

  private static WindowedCounts counterSince(Instant since) {
    return new WindowedCounts(LAYOUT, since);
  }

  @Test
  void eachWindowSumsTheIncrementsRecordedWithinIt() {
    WindowedCounts counts = counterSince(T0);
    // two hours of 30 s rounds: 10 requests each, the last 20 rounds with one bad
    for (int round = 1; round <= 240; round++) {
      counts.add(10, round > 220 ? 1 : 0, T0.plusSeconds(30L * round));
    }
    Instant now = T0.plusSeconds(30L * 240);

    // 5 m at 7200 s sums the 25 s slots 276..288: from 6900 s on, rounds 230..240
    assertEquals(
        new WindowCounts(FIVE_MINUTES, 110, 11, FIVE_MINUTES), counts.over(FIVE_MINUTES, now));
    // 1 h at 7200 s sums the 300 s slots 12..24: from 3600 s on, rounds 120..240
    assertEquals(new WindowCounts(HOUR, 1210, 20, HOUR), counts.over(HOUR, now));
  }

  @Test
  void aWindowCoversAtLeastItsLengthAndAtMostATwelfthMore() {
    // recorded at the start of a sub-bucket: still counted until W + W/12 later
    WindowedCounts early = counterSince(T0);
    early.add(1, 1, T0);
    Instant edge = T0.plus(FIVE_MINUTES).plus(SUB);
    assertEquals(1, early.over(FIVE_MINUTES, edge.minusMillis(1)).total());
    assertEquals(0, early.over(FIVE_MINUTES, edge).total());

    // recorded at the end of a sub-bucket: counted for W, and gone 1 ms later
    WindowedCounts late = counterSince(T0);
    Instant end = T0.plus(SUB).minusMillis(1);
    late.add(1, 1, end);
    assertEquals(1, late.over(FIVE_MINUTES, end.plus(FIVE_MINUTES)).total());
    assertEquals(0, late.over(FIVE_MINUTES, end.plus(FIVE_MINUTES).plusMillis(1)).total());
  }

  @Test
  void aGapAgesOutWhatFellOutOfEachWindow() {
    WindowedCounts counts = counterSince(T0);
    counts.add(100, 50, T0.plusSeconds(30));
    Instant afterGap = T0.plusSeconds(30).plus(Duration.ofMinutes(30));
    counts.add(10, 0, afterGap);

    assertEquals(10, counts.over(FIVE_MINUTES, afterGap).total());
    assertEquals(0, counts.over(FIVE_MINUTES, afterGap).bad());
    assertEquals(110, counts.over(HOUR, afterGap).total());
    assertEquals(50, counts.over(HOUR, afterGap).bad());

    Instant later = afterGap.plus(Duration.ofHours(3));
    assertEquals(0, counts.over(HOUR, later).total());
    assertEquals(0, counts.over(FIVE_MINUTES, later).total());
  }

  @Test
  void aGapOfExactlyOneTurnOfTheRingClearsWhatTheRingHeldThere() {
    WindowedCounts counts = counterSince(T0);
    counts.add(7, 7, T0);
    // 13 sub-buckets later the same ring slot comes round again
    Instant turn = T0.plus(SUB.multipliedBy(13));
    counts.add(1, 0, turn);

    assertEquals(
        new WindowCounts(FIVE_MINUTES, 1, 0, FIVE_MINUTES), counts.over(FIVE_MINUTES, turn));
  }

  @Test
  void aClockThatStepsBackStandsStillAndThenRunsOn() {
    WindowedCounts counts = counterSince(T0);
    Instant first = T0.plus(Duration.ofMinutes(10));
    counts.add(10, 1, first);
    Instant back = first.minus(Duration.ofMinutes(5));
    counts.add(20, 2, back);

    // nothing lost or counted twice, and no history gained by going back
    assertEquals(
        new WindowCounts(FIVE_MINUTES, 30, 3, FIVE_MINUTES), counts.over(FIVE_MINUTES, back));
    assertEquals(new WindowCounts(HOUR, 30, 3, Duration.ofMinutes(10)), counts.over(HOUR, back));

    // the counter's time runs on from where it stood: both increments sit at its 10th minute
    assertEquals(30, counts.over(FIVE_MINUTES, back.plus(FIVE_MINUTES)).total());
    Instant gone = back.plus(FIVE_MINUTES).plus(SUB);
    assertEquals(0, counts.over(FIVE_MINUTES, gone).total());
    assertEquals(
        new WindowCounts(HOUR, 30, 3, Duration.ofMinutes(15).plus(SUB)), counts.over(HOUR, gone));
  }

  @Test
  void aClockFarInThePastCorruptsNothingAndItsCorrectionIsAGap() {
    WindowedCounts counts = counterSince(T0);
    counts.add(10, 1, T0.plusSeconds(30));
    counts.add(10, 1, Instant.EPOCH);
    counts.add(10, 1, Instant.EPOCH.plusSeconds(1));

    assertEquals(
        new WindowCounts(HOUR, 30, 3, Duration.ofSeconds(31)),
        counts.over(HOUR, Instant.EPOCH.plusSeconds(1)));

    // back to the right time: decades later on the counter's time, so everything aged out
    assertEquals(new WindowCounts(HOUR, 0, 0, HOUR), counts.over(HOUR, T0.plusSeconds(60)));
  }

  @Test
  void historyIsHowMuchOfTheWindowTheCounterSaw() {
    WindowedCounts counts = counterSince(T0);
    Instant tenMinutes = T0.plus(Duration.ofMinutes(10));

    assertEquals(Duration.ZERO, counts.over(HOUR, T0).history());
    assertEquals(Duration.ofMinutes(10), counts.over(HOUR, tenMinutes).history());
    assertEquals(FIVE_MINUTES, counts.over(FIVE_MINUTES, tenMinutes).history());
    assertEquals(1.0 / 6, counts.over(HOUR, tenMinutes).coverage(), 1e-12);
    assertEquals(HOUR, counts.over(HOUR, T0.plus(Duration.ofHours(2))).history());
  }

  @Test
  void countsThatNoCounterHoldsAreNotAdded() {
    WindowedCounts counts = counterSince(T0);
    counts.add(Double.NaN, 1, T0.plusSeconds(1));
    counts.add(5, -1, T0.plusSeconds(2));
    counts.add(Double.POSITIVE_INFINITY, 0, T0.plusSeconds(3));

    assertEquals(0, counts.over(HOUR, T0.plusSeconds(3)).total());
  }

  @Test
  void aWindowTheLayoutDoesNotKeepIsRefused() {
    WindowedCounts counts = counterSince(T0);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> counts.over(Duration.ofMinutes(30), T0));
    assertEquals("the counter keeps no window of 30m", e.getMessage());
  }

  @Test
  void aWindowShorterThanAMillisecondIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new WindowLayout(List.of(Duration.ofNanos(10))));
  }
}
