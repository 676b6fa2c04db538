package dev.clawrate.operator.api;

import static dev.clawrate.operator.api.ClawrateApi.DURATION;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** How each analysis judges the candidate against stable. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "interval",
  "minRequests",
  "maxErrorRatePercent",
  "maxP95Millis",
  "maxP99Millis",
  "maxFlipRatePercent",
  "maxPopulationStability",
  "failureLimit",
  "progressDeadline"
})
public class CanaryAnalysisSpec {

  @Pattern(DURATION)
  @JsonPropertyDescription("Time between analyses (default 30s).")
  private String interval;

  @Min(1)
  @Max(100000000)
  @JsonPropertyDescription(
      "Canary requests per interval needed to judge; fewer holds the step (default 50).")
  private Long minRequests;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Highest share of canary requests that fail or fall back, in percent (default 1).")
  private Double maxErrorRatePercent;

  @Min(0)
  @JsonPropertyDescription("Highest canary p95 latency in milliseconds; unset means not checked.")
  private Double maxP95Millis;

  @Min(0)
  @JsonPropertyDescription("Highest canary p99 latency in milliseconds; unset means not checked.")
  private Double maxP99Millis;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Highest share of shadow-compared requests whose decision the candidate flips, in"
          + " percent (default 1).")
  private Double maxFlipRatePercent;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Highest population stability index of the candidate's ratings against stable's"
          + " (default 0.25: 0.1 is a small shift, 0.25 a significant one).")
  private Double maxPopulationStability;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Failed analyses tolerated; the next one rolls back (default 0: the first failure"
          + " rolls back).")
  private Integer failureLimit;

  @Pattern(DURATION)
  @JsonPropertyDescription(
      "How long a phase or step may hold for lack of traffic, or wait for the raters to"
          + " load the candidate, before the release rolls back (default 10m). Waiting for the"
          + " gateway to accept a weight never rolls back: the release waits.")
  private String progressDeadline;

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }

  public Long getMinRequests() {
    return minRequests;
  }

  public void setMinRequests(Long minRequests) {
    this.minRequests = minRequests;
  }

  public Double getMaxErrorRatePercent() {
    return maxErrorRatePercent;
  }

  public void setMaxErrorRatePercent(Double maxErrorRatePercent) {
    this.maxErrorRatePercent = maxErrorRatePercent;
  }

  public Double getMaxP95Millis() {
    return maxP95Millis;
  }

  public void setMaxP95Millis(Double maxP95Millis) {
    this.maxP95Millis = maxP95Millis;
  }

  public Double getMaxP99Millis() {
    return maxP99Millis;
  }

  public void setMaxP99Millis(Double maxP99Millis) {
    this.maxP99Millis = maxP99Millis;
  }

  public Double getMaxFlipRatePercent() {
    return maxFlipRatePercent;
  }

  public void setMaxFlipRatePercent(Double maxFlipRatePercent) {
    this.maxFlipRatePercent = maxFlipRatePercent;
  }

  public Double getMaxPopulationStability() {
    return maxPopulationStability;
  }

  public void setMaxPopulationStability(Double maxPopulationStability) {
    this.maxPopulationStability = maxPopulationStability;
  }

  public Integer getFailureLimit() {
    return failureLimit;
  }

  public void setFailureLimit(Integer failureLimit) {
    this.failureLimit = failureLimit;
  }

  public String getProgressDeadline() {
    return progressDeadline;
  }

  public void setProgressDeadline(String progressDeadline) {
    this.progressDeadline = progressDeadline;
  }
}
