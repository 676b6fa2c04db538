package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** How far one region is in the release. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "step", "weight", "state", "message"})
public class CanaryRegionStatus {

  @JsonPropertyDescription("Region name.")
  private String name;

  @JsonPropertyDescription(
      "Index of the step the region is at (0-based), or unset before its first.")
  private Integer step;

  @JsonPropertyDescription(
      "The canary share of the route in percent, as last accepted by the gateway.")
  private String weight;

  @JsonPropertyDescription(
      "Waiting, Shifting (a weight written, not yet accepted), Analyzing, Done, Restoring (back"
          + " to all-stable, not yet accepted) or Restored.")
  private String state;

  @JsonPropertyDescription("Why the region waits, when it does.")
  private String message;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getStep() {
    return step;
  }

  public void setStep(Integer step) {
    this.step = step;
  }

  public String getWeight() {
    return weight;
  }

  public void setWeight(String weight) {
    this.weight = weight;
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
}
