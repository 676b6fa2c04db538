package dev.clawrate.operator.api;

import static dev.clawrate.operator.api.ClawrateApi.DURATION;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One traffic step: the canary's share of an affected tenant's requests, held for a pause. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"weight", "pause"})
public class CanaryStepSpec {

  @Required
  @Min(0.001)
  @Max(100)
  @JsonPropertyDescription(
      "Canary share in percent, down to 0.001 (e.g. 0.1, 2.5, 50); finer values are rounded.")
  private Double weight;

  @Pattern(DURATION)
  @JsonPropertyDescription(
      "How long the step holds, its analyses passing, before the next (e.g. 30s, 5m)."
          + " Default 0: one passing analysis.")
  private String pause;

  public Double getWeight() {
    return weight;
  }

  public void setWeight(Double weight) {
    this.weight = weight;
  }

  public String getPause() {
    return pause;
  }

  public void setPause(String pause) {
    this.pause = pause;
  }
}
