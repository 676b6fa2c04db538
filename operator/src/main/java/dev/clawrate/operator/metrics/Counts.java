package dev.clawrate.operator.metrics;

/** Checks of the counter values the sample records hold. */
final class Counts {

  private Counts() {}

  static void requireCount(String what, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(what + " must be finite and not negative");
    }
  }

  static void requireFinite(String what, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be finite");
    }
  }
}
