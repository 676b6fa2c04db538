package dev.clawrate.operator.alert;

/** What an alert is about; its label is the {@code objective} receivers see. */
public enum AlertKind {
  /** The latency SLO burns its error budget too fast. */
  LATENCY("latency"),
  /** The availability (non-5xx) SLO burns its error budget too fast. */
  AVAILABILITY("availability"),
  /** Requests of the tenant are answered by its fallback instead of its model. */
  FALLBACK("fallback"),
  /** A region that serves the tenant is not healthy. */
  REGION("region"),
  /** A CanaryRelease of the tenant's model (or of the tenant) rolled back. */
  CANARY("canary");

  private final String label;

  AlertKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
