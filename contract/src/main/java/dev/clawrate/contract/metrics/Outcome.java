package dev.clawrate.contract.metrics;

import java.util.Locale;

/** How a rating request ended; the {@code outcome} label of the request metrics. */
public enum Outcome {
  OK,
  /**
   * The tenant's model failed and its fallback answered in its place: a 200, so not the SLO's
   * error, but a degraded answer, counted apart (see the fallback metric).
   */
  FALLBACK,
  BAD_REQUEST,
  UNAUTHENTICATED,
  FORBIDDEN,
  UNKNOWN_TENANT,
  TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  MODEL_REJECTED,
  MODEL_TRAP,
  MODEL_TIMEOUT,
  MODEL_BAD_OUTPUT,
  NO_CONFIG,
  INTERNAL_ERROR;

  private final String label = name().toLowerCase(Locale.ROOT);

  public String label() {
    return label;
  }

  /** Whether the failure is the server's or the model's, not the caller's (the SLO error). */
  public boolean isServerError() {
    return this == MODEL_TRAP
        || this == MODEL_TIMEOUT
        || this == MODEL_BAD_OUTPUT
        || this == NO_CONFIG
        || this == INTERNAL_ERROR;
  }
}
