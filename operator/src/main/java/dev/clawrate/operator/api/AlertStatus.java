package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One alert of the tenant, firing or recently resolved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "objective",
  "severity",
  "state",
  "since",
  "resolvedAt",
  "burnRate",
  "regions",
  "reason",
  "sequence",
  "delivered"
})
public class AlertStatus {

  @JsonPropertyDescription(
      "The alert, e.g. latency-page, availability-ticket, fallback, region, canary.")
  private String name;

  @JsonPropertyDescription("What it is about: latency, availability, fallback, region or canary.")
  private String objective;

  @JsonPropertyDescription("page or ticket.")
  private String severity;

  @JsonPropertyDescription("Firing or Resolved.")
  private String state;

  @JsonPropertyDescription("When it started firing (RFC 3339).")
  private String since;

  @JsonPropertyDescription("When it resolved (RFC 3339); absent while firing.")
  private String resolvedAt;

  @JsonPropertyDescription(
      "The short-window burn rate that last decided it; absent for alerts that are not burn-rate alerts.")
  private String burnRate;

  @JsonPropertyDescription("The regions it is about.")
  private List<String> regions;

  @JsonPropertyDescription("Why it fired or resolved, in the operator's words.")
  private String reason;

  @JsonPropertyDescription(
      "Counts the alert's notifications: firing and resolve each take the next number.")
  private Long sequence;

  @JsonPropertyDescription("Per receiver, the last notification it accepted.")
  private List<AlertDeliveryStatus> delivered;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getObjective() {
    return objective;
  }

  public void setObjective(String objective) {
    this.objective = objective;
  }

  public String getSeverity() {
    return severity;
  }

  public void setSeverity(String severity) {
    this.severity = severity;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public String getResolvedAt() {
    return resolvedAt;
  }

  public void setResolvedAt(String resolvedAt) {
    this.resolvedAt = resolvedAt;
  }

  public String getBurnRate() {
    return burnRate;
  }

  public void setBurnRate(String burnRate) {
    this.burnRate = burnRate;
  }

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public Long getSequence() {
    return sequence;
  }

  public void setSequence(Long sequence) {
    this.sequence = sequence;
  }

  public List<AlertDeliveryStatus> getDelivered() {
    return delivered;
  }

  public void setDelivered(List<AlertDeliveryStatus> delivered) {
    this.delivered = delivered;
  }
}
