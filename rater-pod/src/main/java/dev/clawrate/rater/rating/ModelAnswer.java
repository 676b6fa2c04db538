package dev.clawrate.rater.rating;

import dev.clawrate.contract.engine.ModelCallException;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.metrics.Outcome;

/** What one call of one model came to, sorted the way the rating API treats it. */
sealed interface ModelAnswer {

  /** A numeric rating; {@code output} is the model's whole output, the answer's result. */
  record Rated(double rating, String ratingText, byte[] output) implements ModelAnswer {}

  /** The model refused the input: the caller's problem (422), never a reason to fall back. */
  record Rejected(String message) implements ModelAnswer {}

  /**
   * The model could not answer.
   *
   * @param outcome the error the rating API answers when nothing stands in for the model
   * @param reason what a fallback that stands in for it says
   */
  record Failed(Outcome outcome, FallbackReason reason, String message) implements ModelAnswer {}

  static ModelAnswer of(ModelRuntime runtime, byte[] input) {
    return of(runtime, input, Integer.MAX_VALUE);
  }

  /**
   * @param boundMillis a time bound tighter than the model's own limit, or {@code
   *     Integer.MAX_VALUE} for none
   * @throws OverNetworkBudgetException when the call was stopped at {@code boundMillis}
   */
  static ModelAnswer of(ModelRuntime runtime, byte[] input, int boundMillis) {
    byte[] output;
    try {
      output = runtime.call(input, boundMillis);
    } catch (ModelCallException e) {
      if (e.failure() == ModelCallException.Failure.TIMEOUT
          && boundMillis < runtime.limits().timeoutMillis()) {
        throw new OverNetworkBudgetException();
      }
      return failed(e);
    }
    ModelOutput read;
    try {
      read = ModelOutput.read(output);
    } catch (RatingException e) {
      return badOutput(e.getMessage());
    }
    if (read.error() != null) {
      return new Rejected(read.error());
    }
    if (read.ratingText() == null) {
      return badOutput("model output has no numeric \"rating\" field");
    }
    return new Rated(read.rating(), read.ratingText(), output);
  }

  static Failed failed(ModelCallException e) {
    return switch (e.failure()) {
      case TRAP -> new Failed(Outcome.MODEL_TRAP, FallbackReason.MODEL_TRAP, e.getMessage());
      case TIMEOUT ->
          new Failed(Outcome.MODEL_TIMEOUT, FallbackReason.MODEL_TIMEOUT, e.getMessage());
      case BAD_OUTPUT -> badOutput(e.getMessage());
      // The error it has always been: to the caller, a model that cannot run is a broken one.
      case UNAVAILABLE ->
          new Failed(Outcome.MODEL_TRAP, FallbackReason.MODEL_UNAVAILABLE, e.getMessage());
      case OVERLOADED ->
          new Failed(Outcome.OVERLOADED, FallbackReason.MODEL_OVERLOADED, e.getMessage());
    };
  }

  private static Failed badOutput(String message) {
    return new Failed(Outcome.MODEL_BAD_OUTPUT, FallbackReason.MODEL_BAD_OUTPUT, message);
  }
}
