package dev.clawrate.rater.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clawrate.contract.engine.ModelCallException;
import dev.clawrate.contract.engine.ModelCallException.Failure;
import dev.clawrate.contract.metrics.Outcome;
import org.junit.jupiter.api.Test;

class ModelAnswerTest {

  private static ModelAnswer.Failed failed(Failure failure) {
    return ModelAnswer.failed(new ModelCallException(failure, "what happened"));
  }

  @Test
  void eachFailureKeepsItsErrorAndNamesItsFallbackReason() {
    assertEquals(
        new ModelAnswer.Failed(Outcome.MODEL_TRAP, FallbackReason.MODEL_TRAP, "what happened"),
        failed(Failure.TRAP));
    assertEquals(
        new ModelAnswer.Failed(
            Outcome.MODEL_TIMEOUT, FallbackReason.MODEL_TIMEOUT, "what happened"),
        failed(Failure.TIMEOUT));
    assertEquals(
        new ModelAnswer.Failed(
            Outcome.MODEL_BAD_OUTPUT, FallbackReason.MODEL_BAD_OUTPUT, "what happened"),
        failed(Failure.BAD_OUTPUT));
  }

  @Test
  void aModelThatCannotRunIsUnavailableToAFallbackAndATrapToTheCaller() {
    assertEquals(
        new ModelAnswer.Failed(
            Outcome.MODEL_TRAP, FallbackReason.MODEL_UNAVAILABLE, "what happened"),
        failed(Failure.UNAVAILABLE));
  }
}
