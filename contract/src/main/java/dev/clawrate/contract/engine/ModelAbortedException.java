package dev.clawrate.contract.engine;

/** Raised from the model's {@code env.abort} import: the model gave up on this call. */
final class ModelAbortedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ModelAbortedException(String message) {
    super(message, null, false, false);
  }
}
