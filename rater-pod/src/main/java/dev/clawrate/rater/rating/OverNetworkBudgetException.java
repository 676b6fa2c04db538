package dev.clawrate.rater.rating;

/**
 * A model call was stopped at the tighter time bound of a network thread, before the model's own
 * limit: the rating did not fail, it must be run again on a worker thread, where the model has its
 * whole limit. Unchecked because it crosses the fallback model's supplier.
 */
public final class OverNetworkBudgetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OverNetworkBudgetException() {
    super("a model call ran past the network threads' time bound", null, false, false);
  }
}
