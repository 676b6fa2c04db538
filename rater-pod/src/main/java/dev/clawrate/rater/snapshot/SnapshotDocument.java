package dev.clawrate.rater.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config snapshot of one track (design contract 2), as read from {@code snapshot.json}. Both
 * maps are copied into sorted, unmodifiable maps, so rendering the same snapshot twice gives the
 * same bytes.
 *
 * @param revision increases with every snapshot the operator publishes for a track
 * @param track {@code stable} or {@code canary}
 * @param models model name to model
 * @param tenants tenant id to tenant
 */
public record SnapshotDocument(
    long revision, String track, Map<String, ModelEntry> models, Map<String, TenantEntry> tenants) {

  public SnapshotDocument {
    models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
    tenants = Collections.unmodifiableSortedMap(new TreeMap<>(tenants));
  }
}
