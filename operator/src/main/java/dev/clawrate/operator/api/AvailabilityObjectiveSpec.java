package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The availability objective: the share of requests that are not server errors (5xx). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"objectivePercent", "disabled"})
public class AvailabilityObjectiveSpec {

  @Min(50)
  @Max(99.9999)
  @JsonPropertyDescription(
      "Percent of requests that must not fail with a server error (5xx), over the SLO period (default 99.9).")
  private Double objectivePercent;

  @JsonPropertyDescription("Not evaluated and never alerted on (default false).")
  private Boolean disabled;

  public Double getObjectivePercent() {
    return objectivePercent;
  }

  public void setObjectivePercent(Double objectivePercent) {
    this.objectivePercent = objectivePercent;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }
}
