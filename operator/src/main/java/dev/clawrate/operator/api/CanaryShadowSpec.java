package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The shadow phase: stable raters also rate a sample of live requests with the candidate, off the
 * response path, before any traffic shifts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"samplePercent", "minSamples"})
public class CanaryShadowSpec {

  @Min(0.01)
  @Max(100)
  @JsonPropertyDescription(
      "Share of each affected tenant's live requests the candidate also rates, in"
          + " percent (default 5).")
  private Double samplePercent;

  @Min(1)
  @Max(100000000)
  @JsonPropertyDescription(
      "Compared requests needed before the shadow phase is judged (default 200).")
  private Long minSamples;

  public Double getSamplePercent() {
    return samplePercent;
  }

  public void setSamplePercent(Double samplePercent) {
    this.samplePercent = samplePercent;
  }

  public Long getMinSamples() {
    return minSamples;
  }

  public void setMinSamples(Long minSamples) {
    this.minSamples = minSamples;
  }
}
