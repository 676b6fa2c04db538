package dev.clawrate.contract.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for a condition; fails with a description of what never happened. */
public final class Await {

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /** For what takes long by design (a canary release through its steps), however loaded. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      sleep();
    }
  }

  public static <T> T value(
      String what, Supplier<T> supplier, java.util.function.Predicate<T> accept) {
    return value(what, DEFAULT_TIMEOUT, supplier, accept);
  }

  /** For what takes long by design, however loaded. */
  public static <T> T value(
      String what, Duration timeout, Supplier<T> supplier, java.util.function.Predicate<T> accept) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = supplier.get();
    while (!accept.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what + "; last value: " + last);
      }
      sleep();
      last = supplier.get();
    }
    return last;
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
