package dev.clawrate.rater.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One tenant in a snapshot.
 *
 * @param model name of the model (a key of the snapshot's models) that rates this tenant
 * @param threshold ratings at or above it are approved
 * @param parameters passed to the model with every request; copied on construction, and read-only
 *     by convention after that (Jackson has no immutable tree)
 * @param apiKeySha256 hex SHA-256 of each API key accepted for this tenant; empty means the tenant
 *     needs none. Several allow a key to be rotated without downtime.
 */
public record TenantEntry(
    String model, double threshold, ObjectNode parameters, List<String> apiKeySha256) {

  public TenantEntry {
    parameters = parameters.deepCopy();
    apiKeySha256 = List.copyOf(apiKeySha256);
  }

  public boolean requiresApiKey() {
    return !apiKeySha256.isEmpty();
  }
}
