package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of a {@link RatingModel}, written only by the operator: the module that validated
 * last and is published (with the entry point and limits it validated with, so an edit that fails
 * validation changes nothing raters see), and how far each region got.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "digest",
  "entrypoint",
  "limits",
  "sizeBytes",
  "exports",
  "message",
  "conditions",
  "regions",
  "regionsSynced"
})
public class RatingModelStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Digest (sha256:<hex>) of the module currently published: the last one that validated. A"
          + " newer module that fails validation leaves this unchanged.")
  private String digest;

  @JsonPropertyDescription(
      "Entry point the published module was validated with; raters call this export.")
  private String entrypoint;

  @JsonPropertyDescription(
      "Limits the published module was validated with; raters enforce these, so a spec edit"
          + " that fails validation does not change them.")
  private ModelLimitsSpec limits;

  @JsonPropertyDescription("Size of the published module, in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Functions the published module exports.")
  private List<String> exports = new ArrayList<>();

  @JsonPropertyDescription("Human-readable summary of the model's state.")
  private String message;

  @JsonPropertyDescription(
      "Ready, Validated, Progressing and Degraded, per Kubernetes conventions.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Per-region publication state.")
  private List<RegionStatus> regions = new ArrayList<>();

  @JsonPropertyDescription("Regions serving the current digest over regions targeted, e.g. 2/3.")
  private String regionsSynced;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getEntrypoint() {
    return entrypoint;
  }

  public void setEntrypoint(String entrypoint) {
    this.entrypoint = entrypoint;
  }

  public ModelLimitsSpec getLimits() {
    return limits;
  }

  public void setLimits(ModelLimitsSpec limits) {
    this.limits = limits;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public List<String> getExports() {
    return exports;
  }

  public void setExports(List<String> exports) {
    this.exports = exports;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<RegionStatus> getRegions() {
    return regions;
  }

  public void setRegions(List<RegionStatus> regions) {
    this.regions = regions;
  }

  public String getRegionsSynced() {
    return regionsSynced;
  }

  public void setRegionsSynced(String regionsSynced) {
    this.regionsSynced = regionsSynced;
  }
}
