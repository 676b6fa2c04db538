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
 * A progressive-delivery policy for one RatingModel or TenantConfig: when the target's published
 * config changes, the change goes to the canary track only, is judged on live requests in the
 * stable raters first (shadow), then takes traffic step by step, region by region, through the
 * user's HTTPRoute, and is promoted to the stable track or rolled back.
 */
@Group(ClawrateApi.GROUP)
@Version(ClawrateApi.VERSION)
@Kind("CanaryRelease")
@Singular("canaryrelease")
@Plural("canaryreleases")
@ShortNames("canary")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Where the release is")
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".status.weight",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Canary share, in percent, of the region taking the release now")
@AdditionalPrinterColumn(
    name = "Stable",
    jsonPath = ".status.stable.digest",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Module digest the stable track serves")
@AdditionalPrinterColumn(
    name = "Canary",
    jsonPath = ".status.canary.digest",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Module digest under release on the canary track")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CanaryRelease extends TolerantCustomResource<CanaryReleaseSpec, CanaryReleaseStatus>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  public CanaryRelease() {
    super(CanaryReleaseSpec.class, CanaryReleaseStatus.class);
  }
}
