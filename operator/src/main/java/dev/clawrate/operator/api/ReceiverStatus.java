package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Whether one receiver takes the tenant's notifications. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "type", "state", "message", "since", "attempts", "pending"})
public class ReceiverStatus {

  @JsonPropertyDescription("The receiver's name.")
  private String name;

  @JsonPropertyDescription("slack, pagerduty or webhook.")
  private String type;

  @JsonPropertyDescription(
      "Ready (its last notification was accepted, or none was sent), Pending (being sent), Failing (refused or unreachable: retried), or Invalid (its Secret or address cannot be used).")
  private String state;

  @JsonPropertyDescription("What went wrong, in the operator's words; never the Secret's content.")
  private String message;

  @JsonPropertyDescription("When it entered this state (RFC 3339).")
  private String since;

  @JsonPropertyDescription("Attempts at the notification it is failing on.")
  private Integer attempts;

  @JsonPropertyDescription("Notifications waiting for it.")
  private Integer pending;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public Integer getPending() {
    return pending;
  }

  public void setPending(Integer pending) {
    this.pending = pending;
  }
}
