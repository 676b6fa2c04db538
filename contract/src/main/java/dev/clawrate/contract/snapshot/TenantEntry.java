package dev.clawrate.contract.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One tenant in a snapshot.
 *
 * @param model name of the model (a key of the snapshot's models) that rates this tenant
 * @param threshold ratings at or above it are approved
 * @param parameters passed to the model with every request; copied on construction, and read-only
 *     by convention after that (Jackson has no immutable tree)
 * @param apiKeySha256 hex SHA-256 of each API key accepted for this tenant; empty means the tenant
 *     needs none. Several allow a key to be rotated without downtime.
 * @param fallback what answers when the tenant's model cannot, or null: then nothing does, and the
 *     caller gets the model's error
 */
public record TenantEntry(
    String model,
    double threshold,
    ObjectNode parameters,
    List<String> apiKeySha256,
    TenantFallback fallback) {

  public TenantEntry {
    parameters = parameters.deepCopy();
    apiKeySha256 = List.copyOf(apiKeySha256);
    if (fallback != null && Objects.equals(fallback.model(), model)) {
      // It would fail the same way the model it stands in for just did.
      throw new IllegalArgumentException("a tenant's fallback model must not be its own model");
    }
  }

  /** A tenant without a fallback. */
  public TenantEntry(
      String model, double threshold, ObjectNode parameters, List<String> apiKeySha256) {
    this(model, threshold, parameters, apiKeySha256, null);
  }

  public boolean requiresApiKey() {
    return !apiKeySha256.isEmpty();
  }
}
