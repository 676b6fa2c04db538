package dev.clawrate.rater.rating;

import java.util.Locale;

/**
 * Why a fallback answered for a tenant: how its own model failed. Its label is the response's
 * {@code fallbackReason}, the {@code X-Clawrate-Fallback} header and the {@code reason} label of
 * the fallback metric.
 */
public enum FallbackReason {
  MODEL_TRAP,
  MODEL_TIMEOUT,
  MODEL_BAD_OUTPUT,
  /** No instance of the model could be made: it never ran. */
  MODEL_UNAVAILABLE,
  /** The model had no capacity left for the call (its share of the workers, or memory). */
  MODEL_OVERLOADED;

  private final String label = name().toLowerCase(Locale.ROOT);

  public String label() {
    return label;
  }
}
