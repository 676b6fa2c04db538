package dev.clawrate.contract.engine;

/** A module that must not be served, with a message its author can act on. */
public final class ModelValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelValidationException(String message) {
    super(message);
  }

  public ModelValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
