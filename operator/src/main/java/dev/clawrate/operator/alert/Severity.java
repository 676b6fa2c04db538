package dev.clawrate.operator.alert;

/**
 * How urgent an alert is: a page wakes someone (the fast burn-rate pair), a ticket is for working
 * hours (the slow pair).
 */
public enum Severity {
  PAGE("page"),
  TICKET("ticket");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
