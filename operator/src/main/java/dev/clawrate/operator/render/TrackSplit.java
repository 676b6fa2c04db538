package dev.clawrate.operator.render;

import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a render into the two tracks' snapshots (pure). A target under a CanaryRelease is served
 * as the release pins it: the stable track keeps the last promoted version, the canary track the
 * version under release (or stable's, when none is), whatever the target's spec says now; every
 * other model and tenant is the same on both tracks. This is what keeps a change in Git from
 * reaching stable raters before the release promotes it.
 */
public final class TrackSplit {

  /** The snapshot of each track; the stable one is what status reports on. */
  public record Tracks(RenderedSnapshot stable, RenderedSnapshot canary) {}

  private TrackSplit() {}

  public static Tracks split(RenderedSnapshot current, List<Governed> governed) {
    Map<String, ModelEntry> stableModels = new TreeMap<>(current.document().models());
    Map<String, TenantEntry> stableTenants = new TreeMap<>(current.document().tenants());
    Map<String, ModelEntry> canaryModels = new TreeMap<>(stableModels);
    Map<String, TenantEntry> canaryTenants = new TreeMap<>(stableTenants);
    Map<String, ResourceKey> tenantOwners = current.tenantOwners();
    for (Governed target : governed) {
      ConfigVersion stable = target.stable();
      if (stable == null) {
        continue;
      }
      ConfigVersion canary = target.canary() == null ? stable : target.canary();
      if (target.modelTarget()) {
        String name = target.target().name();
        if (target.target().equals(current.modelOwners().get(name))) {
          stableModels.put(name, stable.model());
          canaryModels.put(name, canary.model());
        }
      } else {
        String id = idOf(tenantOwners, target.target());
        if (id != null) {
          pinTenant(stableTenants, stableModels, id, stable.tenant());
          pinTenant(canaryTenants, canaryModels, id, canary.tenant());
        }
      }
    }
    Map<String, ShadowEntry> shadows = new TreeMap<>();
    for (Governed target : governed) {
      if (target.stable() != null && target.canary() != null && target.shadowSampleRate() != null) {
        shadows.putAll(shadowsOf(target, current, stableTenants, canaryModels));
      }
    }
    return new Tracks(
        withDocument(current, SnapshotCodec.TRACK_STABLE, stableModels, stableTenants, shadows),
        withDocument(current, SnapshotCodec.TRACK_CANARY, canaryModels, canaryTenants, Map.of()));
  }

  /**
   * The stable raters also rate with the candidate: every tenant of a governed model, with the
   * model's candidate version; a governed tenant, with its candidate entry and that entry's model
   * as the canary track serves it.
   */
  private static Map<String, ShadowEntry> shadowsOf(
      Governed target,
      RenderedSnapshot current,
      Map<String, TenantEntry> stableTenants,
      Map<String, ModelEntry> canaryModels) {
    Map<String, ShadowEntry> shadows = new TreeMap<>();
    double rate = target.shadowSampleRate();
    if (target.modelTarget()) {
      String name = target.target().name();
      if (!target.target().equals(current.modelOwners().get(name))) {
        return shadows;
      }
      stableTenants.forEach(
          (id, tenant) -> {
            if (tenant.model().equals(name)) {
              shadows.put(id, new ShadowEntry(rate, target.canary().model(), tenant));
            }
          });
    } else {
      String id = idOf(current.tenantOwners(), target.target());
      TenantEntry candidate = target.canary().tenant();
      ModelEntry model = canaryModels.get(candidate.model());
      if (id != null && stableTenants.containsKey(id) && model != null) {
        shadows.put(id, new ShadowEntry(rate, model, candidate));
      }
    }
    return shadows;
  }

  /**
   * A pinned tenant entry whose model (or fallback model) is no longer published cannot be served
   * as pinned: raters would refuse the whole snapshot. The tenant is then served as it is now.
   */
  private static void pinTenant(
      Map<String, TenantEntry> tenants,
      Map<String, ModelEntry> models,
      String id,
      TenantEntry pin) {
    boolean modelsPublished =
        models.containsKey(pin.model())
            && (pin.fallback() == null
                || pin.fallback().model() == null
                || models.containsKey(pin.fallback().model()));
    if (tenants.containsKey(id) && modelsPublished) {
      tenants.put(id, pin);
    }
  }

  /** The tenant id a TenantConfig is published under, or null when it is not published. */
  public static String idOf(Map<String, ResourceKey> tenantOwners, ResourceKey target) {
    for (Map.Entry<String, ResourceKey> owner : tenantOwners.entrySet()) {
      if (owner.getValue().equals(target)) {
        return owner.getKey();
      }
    }
    return null;
  }

  private static RenderedSnapshot withDocument(
      RenderedSnapshot current,
      String track,
      Map<String, ModelEntry> models,
      Map<String, TenantEntry> tenants,
      Map<String, ShadowEntry> shadows) {
    return new RenderedSnapshot(
        new SnapshotDocument(current.document().revision(), track, models, tenants, shadows),
        current.excluded(),
        current.modelOwners(),
        current.tenantOwners(),
        current.tenantRegions(),
        current.claims());
  }

  /** The version of a target as the render publishes it now, or null when it is not published. */
  public static ConfigVersion currentVersion(RenderedSnapshot current, ResourceKey target) {
    SnapshotDocument doc = current.document();
    if ("RatingModel".equals(target.kind())) {
      ModelEntry model = doc.models().get(target.name());
      return model != null && target.equals(current.modelOwners().get(target.name()))
          ? ConfigVersion.of(model)
          : null;
    }
    String id = idOf(current.tenantOwners(), target);
    TenantEntry tenant = id == null ? null : doc.tenants().get(id);
    ModelEntry model = tenant == null ? null : doc.models().get(tenant.model());
    return model == null ? null : ConfigVersion.of(tenant, model.digest());
  }
}
