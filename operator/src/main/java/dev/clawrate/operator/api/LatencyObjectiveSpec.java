package dev.clawrate.operator.api;

import static dev.clawrate.operator.api.ClawrateApi.DURATION;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** The latency objective: the share of ratings answered within a threshold. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"objectivePercent", "threshold", "disabled"})
public class LatencyObjectiveSpec {

  @Min(50)
  @Max(99.9999)
  @JsonPropertyDescription(
      "Percent of requests that must be answered within the threshold (default 99).")
  private Double objectivePercent;

  @Pattern(DURATION)
  @JsonPropertyDescription(
      "Latency a request must be answered within, as the rater measures it (default 100ms). It is judged at the largest latency bucket at or below it (100us, 250us, 500us, 1ms, 2.5ms, 5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 5s, 10s); status.slo.latency.judgedAt says which.")
  private String threshold;

  @JsonPropertyDescription("Not evaluated and never alerted on (default false).")
  private Boolean disabled;

  public Double getObjectivePercent() {
    return objectivePercent;
  }

  public void setObjectivePercent(Double objectivePercent) {
    this.objectivePercent = objectivePercent;
  }

  public String getThreshold() {
    return threshold;
  }

  public void setThreshold(String threshold) {
    this.threshold = threshold;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }
}
