package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Observed state of a {@link TenantConfig}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "model",
  "digest",
  "message",
  "conditions",
  "regions",
  "regionsSynced",
  "raters"
})
public class TenantConfigStatus extends ServedStatus {

  @JsonPropertyDescription("Name of the RatingModel the tenant resolved to.")
  private String model;

  @JsonPropertyDescription(
      "Digest (sha256:<hex>) of the model module the tenant's raters serve it with.")
  private String digest;

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
}
