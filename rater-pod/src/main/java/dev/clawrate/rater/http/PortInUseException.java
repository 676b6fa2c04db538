package dev.clawrate.rater.http;

import java.io.IOException;

/** A port the server was asked to listen on is taken by another process. */
public final class PortInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Which of the server's ports it is. */
  public enum Listener {
    RATING,
    HEALTH
  }

  private final Listener listener;
  private final int port;

  public PortInUseException(Listener listener, int port, Throwable cause) {
    super("port " + port + " is in use", cause);
    this.listener = listener;
    this.port = port;
  }

  public Listener listener() {
    return listener;
  }

  public int port() {
    return port;
  }
}
