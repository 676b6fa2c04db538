package dev.clawrate.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the renderer needs of one TenantConfig.
 *
 * @param tenantId the id callers send in X-Tenant-Id
 * @param modelName the RatingModel it names, in its own namespace
 * @param threshold may be null when the spec lacks it (the CRD schema should prevent that)
 * @param parameters may be null or any JSON; the renderer rejects anything but an object
 * @param fallbackModel the RatingModel, in its own namespace, that answers when its model cannot,
 *     or null
 * @param fallbackDecision the decision answered when no model can, or null
 * @param regions the regions that serve it, or null for all
 * @param createdAt RFC 3339 creation time; the older of two tenants with one id wins
 * @param problem why the resource cannot be read at all (unknown field, wrong type), or null
 */
public record TenantInput(
    String namespace,
    String name,
    String tenantId,
    String modelName,
    Double threshold,
    JsonNode parameters,
    List<String> apiKeySha256,
    String fallbackModel,
    String fallbackDecision,
    List<String> regions,
    String createdAt,
    String problem) {

  public TenantInput {
    apiKeySha256 = apiKeySha256 == null ? List.of() : List.copyOf(apiKeySha256);
    regions = regions == null ? null : List.copyOf(regions);
  }

  /** A TenantConfig that cannot be published for {@code problem}: nothing else of it is read. */
  public static TenantInput unreadable(
      String namespace, String name, String tenantId, String createdAt, String problem) {
    return new TenantInput(
        namespace, name, tenantId, null, null, null, List.of(), null, null, null, createdAt,
        problem);
  }
}
