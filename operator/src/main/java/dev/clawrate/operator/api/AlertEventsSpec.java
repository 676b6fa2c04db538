package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Which events besides SLO burn notify the receivers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"fallback", "regions", "canary"})
public class AlertEventsSpec {

  @JsonPropertyDescription(
      "Requests answered by the tenant's fallback instead of its model (default true; a ticket).")
  private Boolean fallback;

  @JsonPropertyDescription("A region that serves the tenant is unhealthy (default true; a page).")
  private Boolean regions;

  @JsonPropertyDescription(
      "A CanaryRelease of the tenant's model, or of the tenant, rolled back (default true; a ticket).")
  private Boolean canary;

  public Boolean getFallback() {
    return fallback;
  }

  public void setFallback(Boolean fallback) {
    this.fallback = fallback;
  }

  public Boolean getRegions() {
    return regions;
  }

  public void setRegions(Boolean regions) {
    this.regions = regions;
  }

  public Boolean getCanary() {
    return canary;
  }

  public void setCanary(Boolean canary) {
    this.canary = canary;
  }
}
