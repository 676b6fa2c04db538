package dev.clawrate.operator.publish;

import dev.clawrate.rater.snapshot.SnapshotDocument;
import java.util.Map;

/**
 * A track's snapshot as rendered from the custom resources, and why any resource was left out.
 *
 * @param document the snapshot; its revision is assigned when it is published
 * @param excluded resources left out of the snapshot, each with a reason a user can act on
 * @param tenantOwners the TenantConfig each published tenant id came from
 */
public record RenderedSnapshot(
    SnapshotDocument document,
    Map<ResourceKey, String> excluded,
    Map<String, ResourceKey> tenantOwners) {

  public RenderedSnapshot {
    excluded = Map.copyOf(excluded);
    tenantOwners = Map.copyOf(tenantOwners);
  }
}
