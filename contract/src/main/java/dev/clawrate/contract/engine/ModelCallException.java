package dev.clawrate.contract.engine;

/** One call of a model failed; the server stays up and answers that request alone. */
public final class ModelCallException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a call failed; each maps to one HTTP status in the rating API. */
  public enum Failure {
    /** The module trapped, aborted, or exhausted its memory or stack. */
    TRAP,
    /** The call ran past the model's time limit and was stopped. */
    TIMEOUT,
    /** The call returned, but what it returned cannot be read as the ABI says. */
    BAD_OUTPUT,
    /** No instance of the model could be made to run the call: the model never ran. */
    UNAVAILABLE,
    /**
     * The call was refused before it ran because the model, its tenant or the pod had no capacity
     * left (a full share of the workers, or the memory budget); retrying later may succeed.
     */
    OVERLOADED
  }

  private final Failure failure;

  public ModelCallException(Failure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
