package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Desired state of a {@link TenantConfig}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "tenantId",
  "modelRef",
  "threshold",
  "parameters",
  "auth",
  "fallback",
  "regions",
  "slo",
  "alerting"
})
public class TenantConfigSpec {

  @Pattern("^[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription(
      "Tenant id callers send in the X-Tenant-Id header. Defaults to metadata.name when unset.")
  private String tenantId;

  @Required
  @JsonPropertyDescription("The RatingModel, in this namespace, that rates this tenant's requests.")
  private ModelRef modelRef;

  @Required
  @Min(-1_000_000_000)
  @Max(1_000_000_000)
  @JsonPropertyDescription(
      "Decision threshold: a rating at or above it is approved, below it declined.")
  private Double threshold;

  @PreserveUnknownFields
  @SchemaFrom(type = AnyObject.class)
  @JsonPropertyDescription(
      "Arbitrary JSON object passed to the model as 'parameters' on every call of this tenant.")
  private JsonNode parameters;

  @JsonPropertyDescription("API-key authentication; when absent the tenant accepts any caller.")
  private TenantAuth auth;

  @JsonPropertyDescription(
      "What answers when the model cannot (trap, time-out, invalid output, not runnable): the"
          + " answer is then a 200 marked \"fallback\": true with the reason. Without it such"
          + " requests fail with the rating API's error.")
  private TenantFallbackSpec fallback;

  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self.all(r, r.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'))",
      message = "every region must be a DNS label")
  @JsonPropertyDescription(
      "Regions whose raters serve this tenant ('local' is the operator's own cluster, others are"
          + " the names of region Secrets). Leave it out for every region; elsewhere the tenant is"
          + " unknown (404).")
  private List<String> regions;

  @JsonPropertyDescription(
      "Service level objectives, watched with multi-window burn-rate alerts in every region."
          + " Leave it out for the defaults: 99.9% of requests not 5xx, 99% answered within 100ms.")
  private TenantSloSpec slo;

  @JsonPropertyDescription(
      "Who is told when an objective burns too fast, a region serving the tenant is unhealthy,"
          + " the fallback answers, or a canary of its model rolls back. Without it alerts are only"
          + " shown in status.")
  private TenantAlertingSpec alerting;

  public TenantSloSpec getSlo() {
    return slo;
  }

  public void setSlo(TenantSloSpec slo) {
    this.slo = slo;
  }

  public TenantAlertingSpec getAlerting() {
    return alerting;
  }

  public void setAlerting(TenantAlertingSpec alerting) {
    this.alerting = alerting;
  }

  public String getTenantId() {
    return tenantId;
  }

  public void setTenantId(String tenantId) {
    this.tenantId = tenantId;
  }

  public ModelRef getModelRef() {
    return modelRef;
  }

  public void setModelRef(ModelRef modelRef) {
    this.modelRef = modelRef;
  }

  public Double getThreshold() {
    return threshold;
  }

  public void setThreshold(Double threshold) {
    this.threshold = threshold;
  }

  public JsonNode getParameters() {
    return parameters;
  }

  public void setParameters(JsonNode parameters) {
    this.parameters = parameters;
  }

  public TenantFallbackSpec getFallback() {
    return fallback;
  }

  public void setFallback(TenantFallbackSpec fallback) {
    this.fallback = fallback;
  }

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  public TenantAuth getAuth() {
    return auth;
  }

  public void setAuth(TenantAuth auth) {
    this.auth = auth;
  }

  /**
   * Schema stand-in for {@link #getParameters()}: renders {@code type: object}, which with {@code
   * x-kubernetes-preserve-unknown-fields} accepts any JSON object and nothing but an object.
   */
  private static final class AnyObject {}
}
