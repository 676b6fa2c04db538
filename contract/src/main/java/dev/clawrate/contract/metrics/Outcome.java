package dev.clawrate.contract.metrics;

import java.util.Locale;

/**
 * How a rating request ended; the {@code outcome} label of the request metrics. Each error's label
 * is the error code the rating API answers with, so a metric and a response read the same.
 */
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
  PAYLOAD_TOO_LARGE,
  /** The request's headers were too large or too many (431). */
  HEADERS_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  MODEL_REJECTED_INPUT,
  MODEL_TRAP,
  MODEL_TIMEOUT,
  MODEL_BAD_OUTPUT,
  NO_CONFIG,
  /**
   * The model, its tenant or the pod had no capacity left for the call (its share of the workers or
   * the memory budget): a 503 with {@code Retry-After}, which the caller may retry.
   */
  OVERLOADED,
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
        || this == OVERLOADED
        || this == INTERNAL_ERROR;
  }
}
