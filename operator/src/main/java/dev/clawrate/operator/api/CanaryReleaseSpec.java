package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Desired state of a {@link CanaryRelease}: what it governs, where traffic moves, how it is judged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"targetRef", "traffic", "shadow", "steps", "analysis", "regions", "paused"})
public class CanaryReleaseSpec {

  @Required
  @JsonPropertyDescription("The RatingModel or TenantConfig whose changes go through this release.")
  private CanaryTargetRef targetRef;

  @Required
  @JsonPropertyDescription("The route and the Services traffic moves between.")
  private CanaryTrafficSpec traffic;

  @JsonPropertyDescription("A shadow phase before any traffic shifts; leave it out to skip it.")
  private CanaryShadowSpec shadow;

  @Required
  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "Traffic steps, taken in order in each region; the last is followed by promotion.")
  private List<CanaryStepSpec> steps;

  @JsonPropertyDescription("How each step is judged (defaults apply when left out).")
  private CanaryAnalysisSpec analysis;

  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self.all(r, r.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",
      message = "every region must be a DNS label")
  @ValidationRule(
      value = "self.all(r, self.exists_one(o, o == r))",
      message = "regions must not repeat")
  @JsonPropertyDescription(
      "The order in which regions take the release, one after the other; a breach"
          + " anywhere stops it everywhere. Leave it out for every region, the hub first, then"
          + " by name.")
  private List<String> regions;

  @JsonPropertyDescription(
      "Holds the release at its current step (analyses still run, and a breach still"
          + " rolls back) until set back to false.")
  private Boolean paused;

  public CanaryTargetRef getTargetRef() {
    return targetRef;
  }

  public void setTargetRef(CanaryTargetRef targetRef) {
    this.targetRef = targetRef;
  }

  public CanaryTrafficSpec getTraffic() {
    return traffic;
  }

  public void setTraffic(CanaryTrafficSpec traffic) {
    this.traffic = traffic;
  }

  public CanaryShadowSpec getShadow() {
    return shadow;
  }

  public void setShadow(CanaryShadowSpec shadow) {
    this.shadow = shadow;
  }

  public List<CanaryStepSpec> getSteps() {
    return steps;
  }

  public void setSteps(List<CanaryStepSpec> steps) {
    this.steps = steps;
  }

  public CanaryAnalysisSpec getAnalysis() {
    return analysis;
  }

  public void setAnalysis(CanaryAnalysisSpec analysis) {
    this.analysis = analysis;
  }

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }
}
