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
 * One rating model: a WebAssembly module, the export that rates, and the limits it runs under. The
 * operator validates the module with the rating engine and publishes it to every region; tenants
 * point at it by name from a {@link TenantConfig}.
 */
@Group(ClawrateApi.GROUP)
@Version(ClawrateApi.VERSION)
@Kind("RatingModel")
@Singular("ratingmodel")
@Plural("ratingmodels")
@ShortNames("rmodel")
@AdditionalPrinterColumn(
    name = "Digest",
    jsonPath = ".status.digest",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "sha256 digest of the module currently published")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether every live rater in every region serves the current digest")
@AdditionalPrinterColumn(
    name = "Raters",
    jsonPath = ".status.raters",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Live raters serving the current digest / live raters, over all regions")
@AdditionalPrinterColumn(
    name = "Regions",
    jsonPath = ".status.regionsSynced",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Regions serving the current digest / regions targeted")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RatingModel extends TolerantCustomResource<RatingModelSpec, RatingModelStatus>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  public RatingModel() {
    super(RatingModelSpec.class, RatingModelStatus.class);
  }
}
