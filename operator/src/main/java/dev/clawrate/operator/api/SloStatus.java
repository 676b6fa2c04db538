package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** How the tenant's objectives are doing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"availability", "latency"})
public class SloStatus {

  @JsonPropertyDescription("The availability objective; absent when disabled.")
  private ObjectiveStatus availability;

  @JsonPropertyDescription("The latency objective; absent when disabled.")
  private ObjectiveStatus latency;

  public ObjectiveStatus getAvailability() {
    return availability;
  }

  public void setAvailability(ObjectiveStatus availability) {
    this.availability = availability;
  }

  public ObjectiveStatus getLatency() {
    return latency;
  }

  public void setLatency(ObjectiveStatus latency) {
    this.latency = latency;
  }
}
