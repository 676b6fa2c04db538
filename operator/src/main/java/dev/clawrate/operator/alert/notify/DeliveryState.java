package dev.clawrate.operator.alert.notify;

/** What became of one attempt to deliver a notification. */
public enum DeliveryState {
  /** The receiver accepted it (any 2xx). */
  DELIVERED("delivered"),
  /** It failed in a way that passes (5xx, 429, 408, a network error or timeout): retried soon. */
  RETRYING("retried"),
  /**
   * The receiver refused it (another 4xx, or a redirect): the receiver is misconfigured. It stays
   * queued and is tried again every {@link RetryPolicy#maxBackoff()}, so fixing the Secret delivers
   * it without waiting for a new incident.
   */
  REJECTED("rejected"),
  /** Left out of a receiver's queue that was full (the oldest goes); never attempted again. */
  DROPPED("dropped");

  private final String label;

  DeliveryState(String label) {
    this.label = label;
  }

  /** The {@code outcome} tag of {@code clawrate.operator.notifications}. */
  public String label() {
    return label;
  }
}
