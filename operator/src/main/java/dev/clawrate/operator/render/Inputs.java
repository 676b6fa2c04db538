package dev.clawrate.operator.render;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.WasmAbi;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelStatus;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.api.TenantFallbackSpec;
import java.util.List;

/**
 * Reads the renderer's inputs off the custom resources. A model is rendered with the digest, entry
 * point and limits recorded in its status when it last validated, never with an unvalidated spec,
 * so an edit that fails validation changes nothing that raters see. A TenantConfig whose spec, or a
 * RatingModel whose status, could not be read carries the problem, and the renderer excludes it for
 * that.
 */
public final class Inputs {

  private Inputs() {}

  public static ModelInput model(RatingModel model) {
    // A spec that cannot be read changes nothing raters see (the reconciler refuses it like a
    // module that fails validation); a status that cannot be read leaves no version to trust.
    String problem = model.statusProblem();
    RatingModelStatus status = model.getStatus();
    boolean validated = problem == null && status != null && status.getDigest() != null;
    String entrypoint =
        validated && status.getEntrypoint() != null
            ? status.getEntrypoint()
            : WasmAbi.DEFAULT_ENTRYPOINT;
    ModelLimits limits =
        validated ? ModelLimitsSpec.toModelLimits(status.getLimits()) : ModelLimits.DEFAULTS;
    return new ModelInput(
        model.getMetadata().getNamespace(),
        model.getMetadata().getName(),
        validated ? status.getDigest() : null,
        entrypoint,
        limits,
        model.getMetadata().getCreationTimestamp(),
        problem);
  }

  public static TenantInput tenant(TenantConfig tenant) {
    TenantConfigSpec spec = tenant.getSpec();
    String name = tenant.getMetadata().getName();
    if (tenant.specProblem() != null) {
      // Under the id it would be published with, so its previous entry is carried over.
      return TenantInput.unreadable(
          tenant.getMetadata().getNamespace(),
          name,
          tenant.tenantId(),
          tenant.getMetadata().getCreationTimestamp(),
          tenant.specProblem());
    }
    if (spec == null) {
      return TenantInput.unreadable(
          tenant.getMetadata().getNamespace(), name, name, null, "the TenantConfig has no spec");
    }
    TenantFallbackSpec fallback = spec.getFallback();
    return new TenantInput(
        tenant.getMetadata().getNamespace(),
        name,
        tenant.tenantId(),
        spec.getModelRef() == null ? null : spec.getModelRef().getName(),
        spec.getThreshold(),
        spec.getParameters(),
        spec.getAuth() == null ? List.of() : spec.getAuth().getApiKeySha256(),
        fallback == null || fallback.getModelRef() == null
            ? null
            : fallback.getModelRef().getName(),
        fallback == null ? null : fallback.getDecision(),
        spec.getRegions(),
        tenant.getMetadata().getCreationTimestamp(),
        null);
  }
}
