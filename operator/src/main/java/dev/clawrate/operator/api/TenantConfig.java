package dev.clawrate.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One tenant of the rating API: which {@link RatingModel} rates its requests, the decision
 * threshold, the parameters handed to the model, and which API keys it accepts.
 */
@Group(ClawrateApi.GROUP)
@Version(ClawrateApi.VERSION)
@Kind("TenantConfig")
@Singular("tenantconfig")
@Plural("tenantconfigs")
@ShortNames({"tenant", "tc"})
@AdditionalPrinterColumn(
    name = "Model",
    jsonPath = ".spec.modelRef.name",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The RatingModel that rates this tenant")
@AdditionalPrinterColumn(
    name = "Digest",
    jsonPath = ".status.digest",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Digest of the model module the tenant is served with")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether every live rater in every region serves the tenant as published")
@AdditionalPrinterColumn(
    name = "Raters",
    jsonPath = ".status.raters",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Live raters serving the tenant as published / live raters, over all regions")
@AdditionalPrinterColumn(
    name = "Regions",
    jsonPath = ".status.regionsSynced",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Regions serving the current config / regions targeted")
@AdditionalPrinterColumn(
    name = "Alerts",
    jsonPath = ".status.alertSummary",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Firing alerts, OK, or None when no objective is watched")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TenantConfig extends TolerantCustomResource<TenantConfigSpec, TenantConfigStatus>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  public TenantConfig() {
    super(TenantConfigSpec.class, TenantConfigStatus.class);
  }

  /** The tenant id: {@code spec.tenantId} when set, otherwise {@code metadata.name}. */
  public String tenantId() {
    TenantConfigSpec spec = getSpec();
    String fromSpec = spec != null ? spec.getTenantId() : unreadableSpecText("tenantId");
    if (fromSpec != null && !fromSpec.isBlank()) {
      return fromSpec;
    }
    return getMetadata() == null ? null : getMetadata().getName();
  }
}
