package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The last analysis and the figures it measured. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "at",
  "verdict",
  "requests",
  "errorRate",
  "p95Millis",
  "p99Millis",
  "flipRate",
  "populationStability",
  "reasons",
  "failures"
})
public class CanaryAnalysisStatus {

  @JsonPropertyDescription("When it was measured.")
  private String at;

  @JsonPropertyDescription("Pass, Hold (too little to judge) or Fail.")
  private String verdict;

  @JsonPropertyDescription(
      "Canary requests (or shadow comparisons) in the interval, over the judged" + " regions.")
  private Long requests;

  @JsonPropertyDescription("Canary error rate in percent.")
  private String errorRate;

  @JsonPropertyDescription("Canary p95 latency in milliseconds.")
  private String p95Millis;

  @JsonPropertyDescription("Canary p99 latency in milliseconds.")
  private String p99Millis;

  @JsonPropertyDescription(
      "Share of shadow-compared requests whose decision the candidate flips, in" + " percent.")
  private String flipRate;

  @JsonPropertyDescription(
      "Population stability index of the candidate's ratings against stable's.")
  private String populationStability;

  @JsonPropertyDescription("What failed or held it, each with the figure and the limit.")
  private List<String> reasons;

  @JsonPropertyDescription("Failed analyses in this release so far.")
  private Integer failures;

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }

  public String getVerdict() {
    return verdict;
  }

  public void setVerdict(String verdict) {
    this.verdict = verdict;
  }

  public Long getRequests() {
    return requests;
  }

  public void setRequests(Long requests) {
    this.requests = requests;
  }

  public String getErrorRate() {
    return errorRate;
  }

  public void setErrorRate(String errorRate) {
    this.errorRate = errorRate;
  }

  public String getP95Millis() {
    return p95Millis;
  }

  public void setP95Millis(String p95Millis) {
    this.p95Millis = p95Millis;
  }

  public String getP99Millis() {
    return p99Millis;
  }

  public void setP99Millis(String p99Millis) {
    this.p99Millis = p99Millis;
  }

  public String getFlipRate() {
    return flipRate;
  }

  public void setFlipRate(String flipRate) {
    this.flipRate = flipRate;
  }

  public String getPopulationStability() {
    return populationStability;
  }

  public void setPopulationStability(String populationStability) {
    this.populationStability = populationStability;
  }

  public List<String> getReasons() {
    return reasons;
  }

  public void setReasons(List<String> reasons) {
    this.reasons = reasons;
  }

  public Integer getFailures() {
    return failures;
  }

  public void setFailures(Integer failures) {
    this.failures = failures;
  }
}
