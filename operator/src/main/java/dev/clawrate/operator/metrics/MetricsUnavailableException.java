package dev.clawrate.operator.metrics;

/**
 * A region's rater metrics could not be read. The message is safe to show in status and Events: it
 * names validated names (region, track, namespace), counts and HTTP statuses, never a URL, a token
 * or text read from elsewhere.
 */
public final class MetricsUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public MetricsUnavailableException(String message) {
    super(message);
  }
}
