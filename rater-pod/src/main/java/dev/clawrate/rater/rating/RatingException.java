package dev.clawrate.rater.rating;

import dev.clawrate.contract.metrics.Outcome;

/** A rating request that did not produce a rating, with the outcome that says why. */
public final class RatingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Outcome outcome;

  public RatingException(Outcome outcome, String message) {
    super(message, null, false, false);
    this.outcome = outcome;
  }

  public Outcome outcome() {
    return outcome;
  }
}
