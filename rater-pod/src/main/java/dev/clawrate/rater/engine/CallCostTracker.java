package dev.clawrate.rater.engine;

/**
 * Tracks how long a model's calls take, to decide whether a call may run on a network thread. A
 * model earns that after {@link #WARM_CALLS} calls averaging under {@link #QUICK_NANOS}, and loses
 * it for {@link #PENALTY_NANOS} on any call over {@link #SLOW_NANOS} or any failure, so a model
 * that loops or slows down on some input costs a network thread at most one such call per penalty
 * period, and runs on worker threads meanwhile.
 *
 * <p>Fields are updated without locks: an update lost to a race only nudges an estimate.
 */
final class CallCostTracker {

  static final int WARM_CALLS = 1_000;
  static final long QUICK_NANOS = 200_000;
  // Above a typical young-generation GC pause, so a pause alone does not revoke it.
  static final long SLOW_NANOS = 10_000_000;
  static final long PENALTY_NANOS = 30_000_000_000L;

  private volatile long averageNanos;
  private volatile long calls;
  private volatile long penalisedUntil;

  void record(long nanos, boolean failed) {
    long count = calls;
    calls = count + 1;
    // Exponential moving average over roughly the last 64 calls.
    averageNanos = count == 0 ? nanos : averageNanos + (nanos - averageNanos) / 64;
    // A cold model's first calls are slow while the JIT warms up; that is not held against it.
    if (failed || (nanos > SLOW_NANOS && count >= WARM_CALLS)) {
      penalisedUntil = System.nanoTime() + PENALTY_NANOS;
    }
  }

  boolean isQuick() {
    return calls >= WARM_CALLS
        && averageNanos < QUICK_NANOS
        && System.nanoTime() - penalisedUntil > 0;
  }

  long averageNanos() {
    return averageNanos;
  }
}
