package dev.clawrate.operator.publish;

import java.time.Instant;
import java.util.Map;

/**
 * What one region serves after a publish, per resource: the digest a model or tenant is served with
 * there, and why a resource is left out. Reconcilers derive each resource's region status from it.
 *
 * @param region the region's name
 * @param revision the snapshot revision live in the region, -1 before the first publish
 * @param served model and tenant resources to the digest they are served with
 * @param excluded resources not in the snapshot, with the reason
 * @param error why the last publish to this region failed, or null
 */
public record Publication(
    String region,
    long revision,
    Map<ResourceKey, String> served,
    Map<ResourceKey, String> excluded,
    Instant at,
    String error) {

  public Publication {
    served = Map.copyOf(served);
    excluded = Map.copyOf(excluded);
  }

  /** Before this operator's first publish: what the region serves is not known yet. */
  public static Publication unknown(String region) {
    return new Publication(region, -1, Map.of(), Map.of(), Instant.EPOCH, null);
  }

  public boolean known() {
    return revision >= 0 || error != null;
  }
}
