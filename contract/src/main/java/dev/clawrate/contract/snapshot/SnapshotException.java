package dev.clawrate.contract.snapshot;

/** A snapshot that cannot go live, with every reason found. */
public final class SnapshotException extends Exception {
  private static final long serialVersionUID = 1L;

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
