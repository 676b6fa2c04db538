package dev.clawrate.contract.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config snapshot of one track (design contract 2), as read from {@code snapshot.json}. The
 * maps are copied into sorted, unmodifiable maps, so rendering the same snapshot twice gives the
 * same bytes.
 *
 * @param revision increases with every snapshot the operator publishes for a track
 * @param track {@code stable} or {@code canary}
 * @param models model name to model
 * @param tenants tenant id to tenant
 * @param shadows tenant id (a key of {@code tenants}) to the candidate evaluated beside its live
 *     model; empty when no tenant has one
 */
public record SnapshotDocument(
    long revision,
    String track,
    Map<String, ModelEntry> models,
    Map<String, TenantEntry> tenants,
    Map<String, ShadowEntry> shadows) {

  public SnapshotDocument {
    models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
    tenants = Collections.unmodifiableSortedMap(new TreeMap<>(tenants));
    shadows = Collections.unmodifiableSortedMap(new TreeMap<>(shadows));
    if (!tenants.keySet().containsAll(shadows.keySet())) {
      // Raters would refuse the whole snapshot: a writer finds out here, not in every region.
      throw new IllegalArgumentException("every shadow must be for a tenant of the snapshot");
    }
  }

  /** A snapshot without shadows. */
  public SnapshotDocument(
      long revision,
      String track,
      Map<String, ModelEntry> models,
      Map<String, TenantEntry> tenants) {
    this(revision, track, models, tenants, Map.of());
  }
}
