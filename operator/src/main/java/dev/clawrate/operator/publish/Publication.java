package dev.clawrate.operator.publish;

import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.operator.render.Exclusion;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one region's snapshot carries after a publish, per resource, and why a resource is left out.
 * Whether raters serve it is another matter ({@code dev.clawrate.operator.served}): this is only
 * what was written.
 *
 * @param region the region's name
 * @param revision the snapshot revision in the region, -1 before the first publish
 * @param published model and tenant resources in the snapshot
 * @param excluded resources not in the snapshot, with the reason
 * @param elsewhere tenants that name other regions than this one: not its business
 * @param at when the region's current revision was written (or first found)
 * @param error why the last publish to this region failed, or null
 * @param unreachable whether that failure is the region not answering (network, time-out, 5xx),
 *     rather than it refusing the write
 */
public record Publication(
    String region,
    long revision,
    Map<ResourceKey, Published> published,
    Map<ResourceKey, Exclusion> excluded,
    Set<ResourceKey> elsewhere,
    Instant at,
    String error,
    boolean unreachable) {

  /**
   * One resource as the snapshot carries it.
   *
   * @param model the snapshot's name of the model that serves it (the model itself, for a model)
   * @param digest the module digest it is served with
   * @param since the first revision that carried it exactly as now: a rater whose live revision is
   *     at least this serves it as published
   * @param generation the generation it was rendered from (a model's status' observedGeneration, a
   *     tenant's own): status for a newer generation is not served yet, whatever raters say
   * @param at when the revision {@code since} was written: the region's last sync of this resource
   * @param exact false when {@code since} and {@code at} are only the first this process saw (it
   *     does not know which earlier revision carried the resource), so status may keep the figures
   *     it recorded before
   */
  public record Published(
      String model, String digest, long since, long generation, Instant at, boolean exact) {}

  public Publication {
    published = Map.copyOf(published);
    excluded = Map.copyOf(excluded);
    elsewhere = Set.copyOf(elsewhere);
  }

  /** Before this operator's first publish: what the region holds is not known yet. */
  public static Publication unknown(String region) {
    return new Publication(region, -1, Map.of(), Map.of(), Set.of(), Instant.EPOCH, null, false);
  }

  public boolean known() {
    return revision >= 0 || error != null;
  }

  /**
   * The publication after {@code written} went out at {@code revision}. A resource keeps the {@code
   * since} it had when the snapshot carries it exactly as {@code before} did (its entry and its
   * model's entry unchanged); otherwise {@code since} is this revision. After a restart nothing is
   * known of earlier revisions, so everything counts as carried since the current one.
   *
   * @param generations the generation each resource was rendered from
   * @param before what the region held, from this operator's last publish or {@link #unknown}
   * @param beforeSnapshot the snapshot {@code before} describes, or null when unknown
   */
  public static Publication after(
      String region,
      long revision,
      RenderedSnapshot written,
      Set<ResourceKey> elsewhere,
      Map<ResourceKey, Long> generations,
      Publication before,
      RenderedSnapshot beforeSnapshot,
      Instant at) {
    SnapshotDocument doc = written.document();
    SnapshotDocument old = beforeSnapshot == null ? null : beforeSnapshot.document();
    Map<ResourceKey, Published> published = new HashMap<>();
    written
        .modelOwners()
        .forEach(
            (name, key) -> {
              ModelEntry entry = doc.models().get(name);
              boolean same =
                  old != null
                      && key.equals(beforeSnapshot.modelOwners().get(name))
                      && entry.equals(old.models().get(name));
              published.put(
                  key,
                  new Published(
                      name,
                      entry.digest(),
                      since(same, before, key, revision),
                      generations.getOrDefault(key, 0L),
                      syncedAt(same, before, key, at),
                      exact(same, before, key)));
            });
    written
        .tenantOwners()
        .forEach(
            (id, key) -> {
              TenantEntry entry = doc.tenants().get(id);
              ModelEntry model = doc.models().get(entry.model());
              boolean same =
                  old != null
                      && key.equals(beforeSnapshot.tenantOwners().get(id))
                      && entry.equals(old.tenants().get(id))
                      && Objects.equals(model, old.models().get(entry.model()));
              published.put(
                  key,
                  new Published(
                      entry.model(),
                      model.digest(),
                      since(same, before, key, revision),
                      generations.getOrDefault(key, 0L),
                      syncedAt(same, before, key, at),
                      exact(same, before, key)));
            });
    // The time of the revision, not of this publish: a publish that wrote nothing moves nothing.
    Instant revisionAt = before.revision() == revision ? before.at() : at;
    return new Publication(
        region, revision, published, written.excluded(), elsewhere, revisionAt, null, false);
  }

  private static long since(boolean same, Publication before, ResourceKey key, long revision) {
    Published earlier = before.published().get(key);
    return same && earlier != null ? earlier.since() : revision;
  }

  private static boolean exact(boolean same, Publication before, ResourceKey key) {
    Published earlier = before.published().get(key);
    if (same && earlier != null) {
      return earlier.exact();
    }
    // Changed since a publish of this process: exact. Not known before this process: a guess.
    return before.revision() >= 0;
  }

  private static Instant syncedAt(boolean same, Publication before, ResourceKey key, Instant at) {
    Published earlier = before.published().get(key);
    return same && earlier != null ? earlier.at() : at;
  }

  /**
   * This publication, with the failure of a later attempt; what the region holds is unchanged.
   *
   * @param unreachableNow whether the region did not answer, rather than refused
   */
  public Publication failed(
      Map<ResourceKey, Exclusion> excludedNow,
      Set<ResourceKey> elsewhereNow,
      String why,
      boolean unreachableNow) {
    return new Publication(
        region, revision, published, excludedNow, elsewhereNow, at, why, unreachableNow);
  }
}
