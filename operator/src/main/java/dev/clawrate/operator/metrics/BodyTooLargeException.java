package dev.clawrate.operator.metrics;

import java.io.IOException;

/** A body (an exposition, a query answer) was larger than the reader accepts. */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long maxBytes;

  public BodyTooLargeException(long maxBytes) {
    super("the body is larger than " + maxBytes + " bytes");
    this.maxBytes = maxBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
