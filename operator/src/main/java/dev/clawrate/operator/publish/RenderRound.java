package dev.clawrate.operator.publish;

import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import java.util.Map;
import java.util.Set;

/**
 * One render of the custom resources, which every region publishes its part of.
 *
 * @param current the resources as they are now, before any CanaryRelease pins a target: what a
 *     release compares its versions with
 * @param snapshot the stable track's snapshot of every region, before each takes its slice; what
 *     status reports on
 * @param canary the canary track's snapshot of every region
 * @param generations the generation each resource's entry was rendered from
 * @param statusDigests the digests RatingModel statuses name: modules still needed even when no
 *     snapshot names them (a status is about to)
 */
public record RenderRound(
    RenderedSnapshot current,
    RenderedSnapshot snapshot,
    RenderedSnapshot canary,
    Map<ResourceKey, Long> generations,
    Set<String> statusDigests) {

  public RenderRound {
    generations = Map.copyOf(generations);
    statusDigests = Set.copyOf(statusDigests);
  }

  /** Whether either track's snapshot names the digest. */
  public boolean names(String digest) {
    return snapshot.digests().contains(digest) || canary.digests().contains(digest);
  }
}
