package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** How one objective is doing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"target", "judgedAt", "burnRate", "burnRateLong"})
public class ObjectiveStatus {

  @JsonPropertyDescription("The objective in words, e.g. 99.9% not 5xx, or 99% within 100ms.")
  private String target;

  @JsonPropertyDescription("For latency: the bucket bound the threshold is judged at.")
  private String judgedAt;

  @JsonPropertyDescription(
      "The page pair's short-window burn rate in the worst region; absent when there is too little traffic to judge.")
  private String burnRate;

  @JsonPropertyDescription(
      "The page pair's long-window burn rate in the worst region; absent when there is too little traffic to judge.")
  private String burnRateLong;

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getJudgedAt() {
    return judgedAt;
  }

  public void setJudgedAt(String judgedAt) {
    this.judgedAt = judgedAt;
  }

  public String getBurnRate() {
    return burnRate;
  }

  public void setBurnRate(String burnRate) {
    this.burnRate = burnRate;
  }

  public String getBurnRateLong() {
    return burnRateLong;
  }

  public void setBurnRateLong(String burnRateLong) {
    this.burnRateLong = burnRateLong;
  }
}
