package dev.clawrate.rater.snapshot;

import dev.clawrate.rater.engine.ModelRuntime;
import dev.clawrate.rater.rating.TenantRoute;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot whose every module is loaded and validated: what requests are served from. A request
 * reads the live one once and keeps it to the end, so a swap never changes the model under a
 * request in flight.
 *
 * @param document the snapshot as published
 * @param sourceDigest SHA-256 of the snapshot's bytes, to recognise an unchanged snapshot
 * @param models model name to its runtime
 * @param tenants tenant id to its route
 * @param loadedAt when it went live
 */
public record LoadedSnapshot(
    SnapshotDocument document,
    String sourceDigest,
    Map<String, ModelRuntime> models,
    Map<String, TenantRoute> tenants,
    Instant loadedAt) {

  public LoadedSnapshot {
    models = Map.copyOf(models);
    tenants = Map.copyOf(tenants);
  }

  public long revision() {
    return document.revision();
  }

  public String track() {
    return document.track();
  }
}
