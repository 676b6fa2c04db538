package dev.clawrate.rater.rating;

import java.util.function.Supplier;

/**
 * Who answers a tenant that has a fallback, given what its own model answered. Pure, with the
 * fallback model's call handed in, so every path is tested without a model.
 *
 * <p>Only a model that failed is stood in for: a rejection is the caller's problem and stands. The
 * fallback model is called only then, and anything but a rating from it (a failure, or a rejection
 * of input the tenant's own model never judged) leaves the answer to the fixed decision or, without
 * one, to the own model's error.
 */
sealed interface FallbackChoice {

  /** What the tenant's own model answered stands: its rating, its rejection or its error. */
  record OwnAnswer(ModelAnswer answer) implements FallbackChoice {}

  /** The fallback model rated in place of the tenant's model, which failed as {@code own} says. */
  record FallbackModel(ModelAnswer.Rated answer, ModelAnswer.Failed own)
      implements FallbackChoice {}

  /** The fixed decision answered in place of the tenant's model. */
  record FixedDecision(String decision, ModelAnswer.Failed own) implements FallbackChoice {}

  /**
   * @param fallbackModel calls the fallback model, or null when there is none to call
   * @param decision the fixed decision, or null when there is none
   */
  static FallbackChoice choose(
      ModelAnswer own, Supplier<ModelAnswer> fallbackModel, String decision) {
    if (!(own instanceof ModelAnswer.Failed failed)) {
      return new OwnAnswer(own);
    }
    if (fallbackModel != null && fallbackModel.get() instanceof ModelAnswer.Rated rated) {
      return new FallbackModel(rated, failed);
    }
    if (decision != null) {
      return new FixedDecision(decision, failed);
    }
    return new OwnAnswer(own);
  }
}
