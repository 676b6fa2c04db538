package dev.clawrate.operator.alert;

/** Whether a notification says an alert started or ended. */
public enum AlertState {
  FIRING("firing"),
  RESOLVED("resolved");

  private final String label;

  AlertState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
