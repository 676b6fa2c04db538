package dev.clawrate.rater.http;

import java.util.concurrent.TimeUnit;

/**
 * Bounds on model calls run on network threads under {@link NetworkThreadPolicy#AUTO} (see {@link
 * NetworkThreadGate}).
 *
 * @param callLimitMillis the time limit of a call on a network thread; one stopped at it is run
 *     again on a worker with the model's own limit, and its model is demoted
 * @param callsPerModel calls of one model that may run on network threads at once
 */
public record NetworkThreadLimits(int callLimitMillis, int callsPerModel) {

  public static final int DEFAULT_CALL_LIMIT_MILLIS = 10;

  /** How long a demoted model runs on workers: the engine's own penalty for a failed call. */
  static final long COOL_DOWN_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** One network thread is always left to other models, when there is more than one. */
  public static int defaultCallsPerModel(int ioThreads) {
    return Math.max(1, ioThreads - 1);
  }

  NetworkThreadGate.Settings gateSettings() {
    return new NetworkThreadGate.Settings(
        callLimitMillis,
        callsPerModel,
        // Half the limit: a call that long is no longer quick, yet a pause of the host's does
        // not reach it as easily as it would a bound near the quick calls' own time.
        TimeUnit.MILLISECONDS.toNanos(callLimitMillis) / 2,
        COOL_DOWN_NANOS);
  }
}
