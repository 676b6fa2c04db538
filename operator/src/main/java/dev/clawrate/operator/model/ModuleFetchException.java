package dev.clawrate.operator.model;

/** The module could not be obtained from its source; {@link #reason()} is a condition reason. */
public final class ModuleFetchException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public ModuleFetchException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ModuleFetchException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** A CamelCase reason for the RatingModel's conditions, e.g. {@code DownloadFailed}. */
  public String reason() {
    return reason;
  }
}
