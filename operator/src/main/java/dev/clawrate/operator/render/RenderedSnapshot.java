package dev.clawrate.operator.render;

import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.operator.tenancy.Claims;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A track's snapshot as rendered from the custom resources, and why any resource was left out.
 *
 * @param document the snapshot; its revision is assigned when it is published
 * @param excluded resources left out of the snapshot, each with a reason a user can act on
 * @param modelOwners the RatingModel each published model name came from
 * @param tenantOwners the TenantConfig each published tenant id came from
 * @param tenantRegions the regions each TenantConfig that names regions is limited to (published or
 *     not); a TenantConfig absent here goes to every region
 * @param claims the claims the render started from plus those it made
 */
public record RenderedSnapshot(
    SnapshotDocument document,
    Map<ResourceKey, Exclusion> excluded,
    Map<String, ResourceKey> modelOwners,
    Map<String, ResourceKey> tenantOwners,
    Map<ResourceKey, Set<String>> tenantRegions,
    Claims claims) {

  public RenderedSnapshot {
    excluded = Map.copyOf(excluded);
    modelOwners = Map.copyOf(modelOwners);
    tenantOwners = Map.copyOf(tenantOwners);
    tenantRegions = Map.copyOf(tenantRegions);
  }

  /** The module digests the snapshot names, its shadows' included. */
  public Set<String> digests() {
    Set<String> digests = new HashSet<>();
    document.models().values().forEach(model -> digests.add(model.digest()));
    document.shadows().values().forEach(shadow -> digests.add(shadow.model().digest()));
    return digests;
  }

  /** Every model and tenant resource in the snapshot, with the digest it is served with. */
  public Map<ResourceKey, String> served() {
    Map<ResourceKey, String> served = new HashMap<>();
    modelOwners.forEach((name, owner) -> served.put(owner, document.models().get(name).digest()));
    tenantOwners.forEach(
        (id, owner) ->
            served.put(owner, document.models().get(document.tenants().get(id).model()).digest()));
    return served;
  }
}
