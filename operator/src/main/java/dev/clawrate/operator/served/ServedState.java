package dev.clawrate.operator.served;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.operator.publish.Publication;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the raters serve a resource: pure, from the region's publication and the raters'
 * heartbeats. A rater serves a resource when its live revision is at least the first revision that
 * carried the resource as it is now, and (unless its heartbeat left models out) it reports the
 * resource's model with the published digest. Writing a ConfigMap is not serving it.
 */
public final class ServedState {

  private ServedState() {}

  /**
   * @param published the resource as the region's snapshot carries it, or null when it is not in it
   * @param raters the live raters of the track in the region
   */
  public static RegionServing of(Publication.Published published, List<Rater> raters) {
    if (raters.isEmpty()) {
      return RegionServing.NONE;
    }
    int serving = 0;
    Map<String, Integer> digests = new HashMap<>();
    Rater refusing = null;
    for (Rater rater : raters) {
      Heartbeat heartbeat = rater.heartbeat();
      if (heartbeat == null) {
        continue;
      }
      if (published != null) {
        String digest = heartbeat.models().get(published.model());
        if (digest != null) {
          digests.merge(digest, 1, Integer::sum);
        }
        if (serves(rater, published)) {
          serving++;
        } else if (refused(heartbeat, published) && precedes(rater, refusing)) {
          refusing = rater;
        }
      }
    }
    String rejection =
        refusing == null
            ? null
            : "rater "
                + refusing.lease()
                + " rejected snapshot revision "
                + refusing.heartbeat().rejected().revision()
                + ": "
                + refusing.heartbeat().rejected().reason();
    return new RegionServing(serving, raters.size(), mostServed(digests, published), rejection);
  }

  static boolean serves(Rater rater, Publication.Published published) {
    Heartbeat heartbeat = rater.heartbeat();
    if (heartbeat == null || rater.revision() < published.since()) {
      return false;
    }
    return heartbeat.modelsOmitted()
        || published.digest().equals(heartbeat.models().get(published.model()));
  }

  /** The rater's last refusal concerns a snapshot at least as new as the resource's form. */
  private static boolean refused(Heartbeat heartbeat, Publication.Published published) {
    Heartbeat.Rejection rejected = heartbeat.rejected();
    return rejected != null
        && (rejected.revision() >= published.since() || rejected.revision() < 0);
  }

  private static boolean precedes(Rater candidate, Rater current) {
    return current == null || candidate.lease().compareTo(current.lease()) < 0;
  }

  /** The digest most raters serve; on a tie the published one, then the smallest, for stability. */
  private static String mostServed(Map<String, Integer> digests, Publication.Published published) {
    Comparator<Map.Entry<String, Integer>> order =
        Comparator.comparing((Map.Entry<String, Integer> e) -> e.getValue())
            .thenComparing(e -> published != null && Objects.equals(e.getKey(), published.digest()))
            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder());
    return digests.entrySet().stream().max(order).map(Map.Entry::getKey).orElse(null);
  }
}
