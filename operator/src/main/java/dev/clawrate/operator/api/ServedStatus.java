package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the status of every served resource reports, written only by the operator: conditions, and
 * how each region's raters serve the resource, computed from their heartbeats.
 */
public abstract class ServedStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Human-readable summary of the resource's state.")
  private String message;

  @JsonPropertyDescription("Per Kubernetes conventions: Ready, Progressing, Degraded and others.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("How each region's raters serve this resource.")
  private List<RegionStatus> regions = new ArrayList<>();

  @JsonPropertyDescription(
      "Regions whose every live rater serves the resource as published, e.g. 2/3.")
  private String regionsSynced;

  @JsonPropertyDescription(
      "Live raters serving the resource as published over live raters, over all regions, e.g."
          + " 4/4.")
  private String raters;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
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

  public String getRaters() {
    return raters;
  }

  public void setRaters(String raters) {
    this.raters = raters;
  }
}
