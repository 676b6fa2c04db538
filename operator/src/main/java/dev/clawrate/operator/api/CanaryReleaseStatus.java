package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a {@link CanaryRelease}, written by the operator alone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "phase",
  "message",
  "weight",
  "stable",
  "canary",
  "failed",
  "pausedPhase",
  "currentRegion",
  "regions",
  "phaseSince",
  "stepSince",
  "failures",
  "analysis",
  "history",
  "conditions"
})
public class CanaryReleaseStatus {

  @JsonPropertyDescription("The generation of the spec this status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Idle, Shadowing, Progressing, Paused, Promoting, Succeeded or RolledBack.")
  private String phase;

  @JsonPropertyDescription("What the release is doing or waiting for.")
  private String message;

  @JsonPropertyDescription("The canary share, in percent, of the region taking the release now.")
  private String weight;

  @JsonPropertyDescription("The last promoted config: what the stable track serves.")
  private CanaryVersionStatus stable;

  @JsonPropertyDescription(
      "The config under release: what the canary track serves, while a release runs.")
  private CanaryVersionStatus canary;

  @JsonPropertyDescription(
      "The last config rolled back; it is not released again until the target changes.")
  private CanaryVersionStatus failed;

  @JsonPropertyDescription("The phase a paused release resumes in.")
  private String pausedPhase;

  @JsonPropertyDescription("Index, in the region order, of the region taking the release now.")
  private Integer currentRegion;

  @JsonPropertyDescription("Each region of the release, in order.")
  private List<CanaryRegionStatus> regions;

  @JsonPropertyDescription(
      "When the current phase, or the current step, started waiting or holding.")
  private String phaseSince;

  @JsonPropertyDescription("When the current step's weight was accepted.")
  private String stepSince;

  @JsonPropertyDescription("Failed analyses in this release so far.")
  private Integer failures;

  @JsonPropertyDescription("The last analysis.")
  private CanaryAnalysisStatus analysis;

  @JsonPropertyDescription("The last phase changes, newest last.")
  private List<CanaryTransition> history;

  @JsonPropertyDescription("Ready, Progressing, Degraded, TrafficAccepted and Conflict.")
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getWeight() {
    return weight;
  }

  public void setWeight(String weight) {
    this.weight = weight;
  }

  public CanaryVersionStatus getStable() {
    return stable;
  }

  public void setStable(CanaryVersionStatus stable) {
    this.stable = stable;
  }

  public CanaryVersionStatus getCanary() {
    return canary;
  }

  public void setCanary(CanaryVersionStatus canary) {
    this.canary = canary;
  }

  public CanaryVersionStatus getFailed() {
    return failed;
  }

  public void setFailed(CanaryVersionStatus failed) {
    this.failed = failed;
  }

  public String getPausedPhase() {
    return pausedPhase;
  }

  public void setPausedPhase(String pausedPhase) {
    this.pausedPhase = pausedPhase;
  }

  public Integer getCurrentRegion() {
    return currentRegion;
  }

  public void setCurrentRegion(Integer currentRegion) {
    this.currentRegion = currentRegion;
  }

  public List<CanaryRegionStatus> getRegions() {
    return regions;
  }

  public void setRegions(List<CanaryRegionStatus> regions) {
    this.regions = regions;
  }

  public String getPhaseSince() {
    return phaseSince;
  }

  public void setPhaseSince(String phaseSince) {
    this.phaseSince = phaseSince;
  }

  public String getStepSince() {
    return stepSince;
  }

  public void setStepSince(String stepSince) {
    this.stepSince = stepSince;
  }

  public Integer getFailures() {
    return failures;
  }

  public void setFailures(Integer failures) {
    this.failures = failures;
  }

  public CanaryAnalysisStatus getAnalysis() {
    return analysis;
  }

  public void setAnalysis(CanaryAnalysisStatus analysis) {
    this.analysis = analysis;
  }

  public List<CanaryTransition> getHistory() {
    return history;
  }

  public void setHistory(List<CanaryTransition> history) {
    this.history = history;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
