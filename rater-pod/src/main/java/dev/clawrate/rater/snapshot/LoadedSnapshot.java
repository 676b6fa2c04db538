package dev.clawrate.rater.snapshot;

import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.shadow.ShadowRoute;
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
 * @param shadows tenant id to its shadow, for every shadow of the document that loaded
 * @param unavailableShadows tenant id to why its shadow did not load: the snapshot went live
 *     without it
 */
public record LoadedSnapshot(
    SnapshotDocument document,
    String sourceDigest,
    Map<String, ModelRuntime> models,
    Map<String, TenantRoute> tenants,
    Instant loadedAt,
    Map<String, ShadowRoute> shadows,
    Map<String, String> unavailableShadows) {

  public LoadedSnapshot {
    models = Map.copyOf(models);
    tenants = Map.copyOf(tenants);
    shadows = Map.copyOf(shadows);
    unavailableShadows = Map.copyOf(unavailableShadows);
  }

  /** A snapshot without shadows. */
  public LoadedSnapshot(
      SnapshotDocument document,
      String sourceDigest,
      Map<String, ModelRuntime> models,
      Map<String, TenantRoute> tenants,
      Instant loadedAt) {
    this(document, sourceDigest, models, tenants, loadedAt, Map.of(), Map.of());
  }

  public long revision() {
    return document.revision();
  }

  public String track() {
    return document.track();
  }
}
