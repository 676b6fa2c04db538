package dev.clawrate.contract.engine;

/**
 * Tracks how long a model's calls take, to decide whether a call may run on a network thread. A
 * model earns that after {@link #WARM_CALLS} calls averaging under {@link #QUICK_NANOS}, and loses
 * it when its moving average rises above that, or for {@link #PENALTY_NANOS} after any failed call
 * (a trap or a timeout): a model that loops on some input costs a network thread at most one time
 * limit per penalty period, and runs on worker threads meanwhile. A single slow call does not count
 * against a model: a GC pause or a busy host makes every call slow at once.
 *
 * <p>Fields are updated without locks: an update lost to a race only nudges an estimate.
 */
final class CallCostTracker {

  static final int WARM_CALLS = 1_000;
  static final long QUICK_NANOS = 200_000;
  static final long PENALTY_NANOS = 30_000_000_000L;

  private volatile long averageNanos;
  private volatile long calls;
  private volatile long penalisedUntil;
  private volatile boolean penalised;

  void record(long nanos, boolean failed) {
    long count = calls;
    calls = count + 1;
    // Exponential moving average over roughly the last 64 calls.
    averageNanos = count == 0 ? nanos : averageNanos + (nanos - averageNanos) / 64;
    if (failed) {
      penalisedUntil = System.nanoTime() + PENALTY_NANOS;
      penalised = true;
    }
  }

  boolean isQuick() {
    if (penalised) {
      if (System.nanoTime() - penalisedUntil < 0) {
        return false;
      }
      penalised = false;
    }
    return calls >= WARM_CALLS && averageNanos < QUICK_NANOS;
  }

  long averageNanos() {
    return averageNanos;
  }
}
