package dev.clawrate.operator.alert;

/** The kinds of receiver a TenantConfig can name; the label is the metrics' {@code type}. */
public enum ReceiverType {
  SLACK("slack"),
  PAGERDUTY("pagerduty"),
  WEBHOOK("webhook");

  private final String label;

  ReceiverType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
