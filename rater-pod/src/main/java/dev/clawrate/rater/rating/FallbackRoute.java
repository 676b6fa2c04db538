package dev.clawrate.rater.rating;

import dev.clawrate.contract.engine.ModelRuntime;
import java.util.function.Supplier;

/**
 * A tenant's fallback, resolved when the snapshot is loaded as its own model is.
 *
 * @param model the fallback model's name, or null when the fallback is a fixed decision alone
 * @param runtime the fallback model's runtime, or null with {@code model}
 * @param decision the fixed decision, or null
 * @param responsePrefix the start of an answer the fallback model rated, naming it and its digest;
 *     null with {@code model}
 */
record FallbackRoute(String model, ModelRuntime runtime, String decision, byte[] responsePrefix) {

  /**
   * Calls the fallback model on the input the tenant's model was given, or null when there is no
   * model to call: none is named, or the request body is over the fallback model's own input limit
   * (the body was checked against the tenant's model's limit only).
   */
  Supplier<ModelAnswer> call(byte[] input, int bodyLength, int boundMillis) {
    if (runtime == null || bodyLength > runtime.limits().maxInputBytes()) {
      return null;
    }
    return () -> ModelAnswer.of(runtime, input, boundMillis);
  }
}
