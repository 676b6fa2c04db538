package dev.clawrate.operator.alert.slo;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts of requests and bad requests of one objective (of one tenant in one region) over sliding
 * windows, fed one increment per evaluation. Not thread-safe: its owner, the {@link SloLedger}, is
 * used by one thread.
 *
 * <p><b>Memory.</b> Each window of the {@link WindowLayout} is a ring of {@value
 * WindowLayout#SUB_BUCKETS} + 1 sub-buckets of a twelfth of the window, each a pair of floats: the
 * default rules' four windows take 416 bytes of counts, whatever the interval. Floats keep 24 bits:
 * a sub-bucket of millions of requests may be off by a few parts in ten million, which no burn rate
 * can tell.
 *
 * <p><b>Resolution.</b> An increment counts in the sub-bucket of the time it is recorded at. A
 * window of W asked for at time t sums the sub-bucket t falls in and the twelve before it: the
 * increments recorded from somewhere between t - W - W/12 and t - W, up to t. A window thus covers
 * at least W and at most W + W/12 (W + 5 minutes for 1 hour), never less than asked for.
 *
 * <p><b>Time.</b> Times come from the caller's wall clock. A gap (evaluations missed) ages out what
 * fell out of the windows: sub-buckets are cleared as time passes them. A clock that steps back is
 * taken as time standing still: the counter keeps its own time, moved forward only by forward steps
 * of the wall clock, so nothing is counted twice or lost, and the windows age as usual once the
 * clock runs on.
 */
public final class WindowedCounts {

  private static final int SLOTS = WindowLayout.SUB_BUCKETS + 1;

  private final WindowLayout layout;

  /** Per window, per slot: total then bad; slot of time t at {@code floorMod(t / sub, SLOTS)}. */
  private final float[] counts;

  /** Where history starts, on this counter's own time. */
  private final long startMillis;

  /** This counter's own time: never goes back. */
  private long clockMillis;

  /** The last wall-clock time seen, so a forward step of it moves {@link #clockMillis}. */
  private long lastWallMillis;

  /**
   * A counter whose history starts at {@code since}: the start of what its first increment covers
   * (one evaluation interval before it is recorded).
   */
  public WindowedCounts(WindowLayout layout, Instant since) {
    this.layout = layout;
    this.counts = new float[layout.windows().size() * SLOTS * 2];
    this.startMillis = since.toEpochMilli();
    this.clockMillis = startMillis;
    this.lastWallMillis = startMillis;
  }

  public WindowLayout layout() {
    return layout;
  }

  /** Adds one increment, recorded at {@code now}. Negative or non-finite counts are not added. */
  public void add(double total, double bad, Instant now) {
    advance(now.toEpochMilli());
    if (!(total >= 0 && bad >= 0 && Double.isFinite(total) && Double.isFinite(bad))) {
      return;
    }
    for (int window = 0; window < layout.windows().size(); window++) {
      int at = index(window, Math.floorDiv(clockMillis, layout.subBucketMillis(window)));
      counts[at] = (float) (counts[at] + total);
      counts[at + 1] = (float) (counts[at + 1] + bad);
    }
  }

  /**
   * The counts over {@code window} (one of the layout's) as of {@code now}.
   *
   * @throws IllegalArgumentException when the layout has no such window
   */
  public WindowCounts over(Duration window, Instant now) {
    int index = layout.indexOf(window);
    if (index < 0) {
      throw new IllegalArgumentException(
          "the counter keeps no window of " + SloText.duration(window));
    }
    advance(now.toEpochMilli());
    double total = 0;
    double bad = 0;
    int from = index * SLOTS * 2;
    for (int i = from; i < from + SLOTS * 2; i += 2) {
      total += counts[i];
      bad += counts[i + 1];
    }
    long history = Math.min(window.toMillis(), clockMillis - startMillis);
    return new WindowCounts(window, total, bad, Duration.ofMillis(history));
  }

  /** Moves this counter's time by the wall clock's forward step, clearing the slots it passes. */
  private void advance(long wallMillis) {
    if (wallMillis <= lastWallMillis) {
      lastWallMillis = wallMillis;
      return;
    }
    long before = clockMillis;
    clockMillis += wallMillis - lastWallMillis;
    lastWallMillis = wallMillis;
    for (int window = 0; window < layout.windows().size(); window++) {
      long sub = layout.subBucketMillis(window);
      long from = Math.floorDiv(before, sub) + 1;
      long to = Math.floorDiv(clockMillis, sub);
      for (long slot = Math.max(from, to - SLOTS + 1); slot <= to; slot++) {
        int at = index(window, slot);
        counts[at] = 0;
        counts[at + 1] = 0;
      }
    }
  }

  private static int index(int window, long slot) {
    return (window * SLOTS + (int) Math.floorMod(slot, (long) SLOTS)) * 2;
  }
}
