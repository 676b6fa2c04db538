package dev.clawrate.operator.publish;

import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import java.util.Map;
import java.util.Set;

/**
 * One render of the custom resources, which every region publishes its part of.
 *
 * @param snapshot the snapshot of every region, before each takes its slice
 * @param generations the generation each resource's entry was rendered from
 * @param statusDigests the digests RatingModel statuses name: modules still needed even when no
 *     snapshot names them (a status is about to)
 */
public record RenderRound(
    RenderedSnapshot snapshot, Map<ResourceKey, Long> generations, Set<String> statusDigests) {

  public RenderRound {
    generations = Map.copyOf(generations);
    statusDigests = Set.copyOf(statusDigests);
  }

  /** Whether the snapshot names the digest. */
  public boolean names(String digest) {
    return snapshot.digests().contains(digest);
  }
}
