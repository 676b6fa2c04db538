package dev.clawrate.operator.publish;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: each failure doubles the delay up to a cap, and the delay waited
 * is drawn from its upper half, so regions (or operators) that failed together do not retry in
 * lockstep. Not thread-safe: one per retrying loop.
 */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private Duration current = Duration.ZERO;

  /**
   * @param random uniform in [0, 1): {@code Math::random} in production, fixed in tests
   */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The delay before the next attempt after one more failure. */
  public Duration next() {
    current = current.isZero() ? initial : min(current.multipliedBy(2), max);
    long half = current.toMillis() / 2;
    return Duration.ofMillis(current.toMillis() - half + (long) (random.getAsDouble() * half));
  }

  /** A success: the next failure starts from the initial delay again. */
  public void reset() {
    current = Duration.ZERO;
  }

  /** Whether the last attempt failed. */
  public boolean failing() {
    return !current.isZero();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
