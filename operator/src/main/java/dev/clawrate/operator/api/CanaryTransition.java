package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One phase change of a release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"at", "phase", "reason", "message"})
public class CanaryTransition {

  @JsonPropertyDescription("When it happened.")
  private String at;

  @JsonPropertyDescription("The phase entered.")
  private String phase;

  @JsonPropertyDescription("Why, in one word.")
  private String reason;

  @JsonPropertyDescription("Why, in a sentence.")
  private String message;

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
