package dev.clawrate.operator.render;

import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One region's part of a rendered snapshot: pure. Every published model goes to every region (a
 * RatingModel names no region); a tenant that names regions goes only to those, and in the others
 * it is neither published nor excluded, only elsewhere. A tenant whose new spec cannot be published
 * keeps its previous entry only in a region whose previous snapshot had it (and that its new spec,
 * when readable, still names): an old entry never reaches a region it was not served in, which a
 * tenant limited to a region for data residency relies on.
 *
 * @param snapshot what the region's snapshot carries
 * @param elsewhere the tenants that name other regions only
 */
public record RegionSlice(RenderedSnapshot snapshot, Set<ResourceKey> elsewhere) {

  public RegionSlice {
    elsewhere = Set.copyOf(elsewhere);
  }

  /**
   * @param previous the snapshot the region holds (as last written, or read after a restart), or
   *     null when unknown: then no previous entry is kept in it
   */
  public static RegionSlice of(
      RenderedSnapshot rendered, String region, SnapshotDocument previous) {
    Set<ResourceKey> elsewhere = new HashSet<>();
    rendered
        .tenantRegions()
        .forEach(
            (key, regions) -> {
              if (!regions.contains(region)) {
                elsewhere.add(key);
              }
            });
    SnapshotDocument doc = rendered.document();
    Set<String> dropped = new HashSet<>();
    rendered
        .tenantOwners()
        .forEach(
            (id, key) -> {
              Exclusion why = rendered.excluded().get(key);
              boolean carried = why != null && why.carriedOver();
              if (elsewhere.contains(key)
                  || (carried && (previous == null || !previous.tenants().containsKey(id)))) {
                dropped.add(id);
              }
            });
    if (elsewhere.isEmpty() && dropped.isEmpty()) {
      return new RegionSlice(rendered, Set.of());
    }
    Map<String, TenantEntry> tenants = new TreeMap<>(doc.tenants());
    Map<String, ResourceKey> tenantOwners = new HashMap<>(rendered.tenantOwners());
    Map<ResourceKey, Exclusion> excluded = new HashMap<>(rendered.excluded());
    for (String id : dropped) {
      tenants.remove(id);
      ResourceKey key = tenantOwners.remove(id);
      excluded.computeIfPresent(key, (k, why) -> why.notCarried());
    }
    excluded.keySet().removeAll(elsewhere);
    return new RegionSlice(
        new RenderedSnapshot(
            new SnapshotDocument(
                doc.revision(), doc.track(), doc.models(), tenants, shadowsOf(doc, tenants)),
            excluded,
            rendered.modelOwners(),
            tenantOwners,
            rendered.tenantRegions(),
            rendered.claims()),
        elsewhere);
  }

  /** The shadows of the tenants still in the snapshot. */
  static Map<String, ShadowEntry> shadowsOf(
      SnapshotDocument doc, Map<String, TenantEntry> tenants) {
    Map<String, ShadowEntry> shadows = new TreeMap<>(doc.shadows());
    shadows.keySet().retainAll(tenants.keySet());
    return shadows;
  }
}
