package dev.clawrate.rater.rating;

import java.util.Locale;

/**
 * An answer a tenant's fallback gave because its own model failed.
 *
 * @param route the tenant's route
 * @param reason how the tenant's model failed
 * @param answeredBy what answered in its place
 * @param modelError the tenant's model's error message, for the log
 * @param rating the fallback model's rating, or null when the fixed decision answered
 * @param decision the decision the answer gives
 * @param responseBody the complete JSON answer of the rating API
 */
public record FallbackAnswer(
    TenantRoute route,
    FallbackReason reason,
    AnsweredBy answeredBy,
    String modelError,
    Double rating,
    String decision,
    byte[] responseBody)
    implements Answer {

  /** What stood in for the tenant's model; its label is the fallback metric's {@code answer}. */
  public enum AnsweredBy {
    FALLBACK_MODEL,
    DECISION;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
      return label;
    }
  }

  /** The fallback model's name, or null when the fixed decision answered. */
  public String fallbackModel() {
    return answeredBy == AnsweredBy.FALLBACK_MODEL ? route.fallback().model() : null;
  }

  /** The fallback model's digest, or null when the fixed decision answered. */
  public String fallbackDigest() {
    return answeredBy == AnsweredBy.FALLBACK_MODEL ? route.fallback().runtime().digest() : null;
  }
}
