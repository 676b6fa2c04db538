package dev.clawrate.rater.rating;

/**
 * A 200 answer of the rating API: a {@link Rating} of the tenant's own model, or a {@link
 * FallbackAnswer} standing in for it.
 */
public sealed interface Answer permits Rating, FallbackAnswer {

  /** The tenant's route it was answered on. */
  TenantRoute route();

  /** The complete JSON answer. */
  byte[] responseBody();
}
