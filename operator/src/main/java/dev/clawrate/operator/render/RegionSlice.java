package dev.clawrate.operator.render;

import dev.clawrate.rater.snapshot.SnapshotDocument;
import dev.clawrate.rater.snapshot.TenantEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One region's part of a rendered snapshot: pure. Every published model goes to every region (a
 * RatingModel names no region); a tenant that names regions goes only to those, and in the others
 * it is neither published nor excluded, only elsewhere.
 *
 * @param snapshot what the region's snapshot carries
 * @param elsewhere the tenants that name other regions only
 */
public record RegionSlice(RenderedSnapshot snapshot, Set<ResourceKey> elsewhere) {

  public RegionSlice {
    elsewhere = Set.copyOf(elsewhere);
  }

  public static RegionSlice of(RenderedSnapshot rendered, String region) {
    Set<ResourceKey> elsewhere = new HashSet<>();
    rendered
        .tenantRegions()
        .forEach(
            (key, regions) -> {
              if (!regions.contains(region)) {
                elsewhere.add(key);
              }
            });
    if (elsewhere.isEmpty()) {
      return new RegionSlice(rendered, Set.of());
    }
    SnapshotDocument doc = rendered.document();
    Map<String, TenantEntry> tenants = new TreeMap<>(doc.tenants());
    Map<String, ResourceKey> tenantOwners = new HashMap<>(rendered.tenantOwners());
    rendered
        .tenantOwners()
        .forEach(
            (id, key) -> {
              if (elsewhere.contains(key)) {
                tenants.remove(id);
                tenantOwners.remove(id);
              }
            });
    Map<ResourceKey, Exclusion> excluded = new HashMap<>(rendered.excluded());
    excluded.keySet().removeAll(elsewhere);
    return new RegionSlice(
        new RenderedSnapshot(
            new SnapshotDocument(doc.revision(), doc.track(), doc.models(), tenants),
            excluded,
            rendered.modelOwners(),
            tenantOwners,
            rendered.tenantRegions(),
            rendered.claims()),
        elsewhere);
  }
}
