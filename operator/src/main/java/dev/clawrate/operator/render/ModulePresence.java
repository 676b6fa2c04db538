package dev.clawrate.operator.render;

import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.snapshot.TenantFallback;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps a snapshot from naming a module whose ConfigMap is missing in a region: pure. A model whose
 * module is missing keeps the entry the region's previous snapshot had for it, when that module is
 * there; otherwise the model, and the tenants it rates, are left out of this region until the
 * module is written again. A rater must never be handed a snapshot it cannot load.
 */
public final class ModulePresence {

  private ModulePresence() {}

  /**
   * @param missing digests whose ConfigMap is not known to exist in the region
   * @param previous the snapshot last written to the region, or null
   */
  public static RenderedSnapshot restrict(
      RenderedSnapshot rendered, Set<String> missing, SnapshotDocument previous) {
    if (missing.isEmpty()) {
      return rendered;
    }
    SnapshotDocument doc = rendered.document();
    Map<String, ModelEntry> models = new TreeMap<>(doc.models());
    Map<String, ResourceKey> modelOwners = new HashMap<>(rendered.modelOwners());
    Map<ResourceKey, Exclusion> excluded = new HashMap<>(rendered.excluded());
    String why = "the module's ConfigMap is missing in this region; it is being written again";
    doc.models()
        .forEach(
            (name, entry) -> {
              if (!missing.contains(entry.digest())) {
                return;
              }
              ModelEntry before = previous == null ? null : previous.models().get(name);
              ResourceKey owner = rendered.modelOwners().get(name);
              if (before != null && !missing.contains(before.digest())) {
                models.put(name, before);
                excluded.put(owner, Exclusion.of(Exclusion.MODULE_MISSING, why).carried());
              } else {
                models.remove(name);
                modelOwners.remove(name);
                excluded.put(owner, Exclusion.of(Exclusion.MODULE_MISSING, why));
              }
            });
    Map<String, TenantEntry> tenants = new TreeMap<>(doc.tenants());
    Map<String, ResourceKey> tenantOwners = new HashMap<>(rendered.tenantOwners());
    doc.tenants()
        .forEach(
            (id, entry) -> {
              if (models.containsKey(entry.model()) && lacksFallbackModel(entry, models)) {
                // Its own model is there: it is served, with what remains of its fallback.
                tenants.put(id, withoutFallbackModel(entry));
                return;
              }
              if (!models.containsKey(entry.model())) {
                tenants.remove(id);
                ResourceKey owner = tenantOwners.remove(id);
                excluded.put(
                    owner,
                    Exclusion.of(
                        Exclusion.MODULE_MISSING, "its model's " + why.substring("the ".length())));
              }
            });
    return new RenderedSnapshot(
        new SnapshotDocument(
            doc.revision(), doc.track(), models, tenants, shadows(doc, tenants, missing)),
        excluded,
        modelOwners,
        tenantOwners,
        rendered.tenantRegions(),
        rendered.claims());
  }

  /** A shadow whose module the region lacks is left out: the live answer never waits for it. */
  private static Map<String, ShadowEntry> shadows(
      SnapshotDocument doc, Map<String, TenantEntry> tenants, Set<String> missing) {
    Map<String, ShadowEntry> shadows = RegionSlice.shadowsOf(doc, tenants);
    shadows.values().removeIf(shadow -> missing.contains(shadow.model().digest()));
    return shadows;
  }

  private static boolean lacksFallbackModel(TenantEntry entry, Map<String, ModelEntry> models) {
    return entry.fallback() != null
        && entry.fallback().model() != null
        && !models.containsKey(entry.fallback().model());
  }

  /** The entry with its fallback decision alone, or no fallback when it had no decision. */
  private static TenantEntry withoutFallbackModel(TenantEntry entry) {
    String decision = entry.fallback().decision();
    return new TenantEntry(
        entry.model(),
        entry.threshold(),
        entry.parameters(),
        entry.apiKeySha256(),
        decision == null ? null : new TenantFallback(null, decision));
  }
}
