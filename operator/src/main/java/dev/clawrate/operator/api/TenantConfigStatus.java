package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a {@link TenantConfig}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "model",
  "digest",
  "conditions",
  "regions",
  "regionsSynced"
})
public class TenantConfigStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Name of the RatingModel the tenant resolved to.")
  private String model;

  @JsonPropertyDescription("Digest (sha256:<hex>) of the model module the tenant is served with.")
  private String digest;

  @JsonPropertyDescription(
      "Ready, ModelResolved, Progressing and Degraded, per Kubernetes conventions.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Per-region publication state.")
  private List<RegionStatus> regions = new ArrayList<>();

  @JsonPropertyDescription("Regions serving the current config over regions targeted, e.g. 2/3.")
  private String regionsSynced;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
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
