package dev.clawrate.operator.served;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.operator.publish.Publication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one region is doing as a whole, from its publication and its raters' heartbeats: pure. What a
 * global load balancer or an alert acts on: {@code Healthy} (raters live, all on the current
 * revision, none refusing it), {@code Degraded} (no live rater, a rater refusing the snapshot, or
 * raters still behind once the grace after a publish has passed), {@code Unreachable} (the region's
 * API server does not answer or refuses the operator), or {@code Unknown} (nothing published yet).
 *
 * @param revision the revision the region's snapshot holds, -1 when unknown
 * @param ratersCurrent live raters serving that revision
 * @param ratersRefusing live raters whose last refusal concerns that revision or a later one
 * @param reason why it is not healthy, or null; names only the region's own figures
 */
public record RegionHealth(
    String region,
    String state,
    long revision,
    int ratersLive,
    int ratersCurrent,
    int ratersRefusing,
    String reason) {

  public static final String HEALTHY = "Healthy";
  public static final String DEGRADED = "Degraded";
  public static final String UNREACHABLE = "Unreachable";
  public static final String UNKNOWN = "Unknown";

  /** Raters take a moment to load a new revision; lagging within this is not news. */
  public static final Duration CATCH_UP_GRACE = Duration.ofSeconds(30);

  public boolean healthy() {
    return HEALTHY.equals(state);
  }

  /**
   * @param raters the live raters of the track in the region
   * @param now to judge how long ago the revision was written
   */
  public static RegionHealth of(Publication publication, List<Rater> raters, Instant now) {
    long revision = publication.revision();
    int current = 0;
    int refusing = 0;
    for (Rater rater : raters) {
      if (revision >= 0 && rater.revision() >= revision) {
        current++;
      }
      Heartbeat.Rejection rejected =
          rater.heartbeat() == null ? null : rater.heartbeat().rejected();
      if (rejected != null && revision >= 0 && rejected.revision() >= revision) {
        refusing++;
      }
    }
    String region = publication.region();
    if (publication.error() != null) {
      return new RegionHealth(
          region,
          UNREACHABLE,
          revision,
          raters.size(),
          current,
          refusing,
          (publication.unreachable() ? "does not answer: " : "refuses the operator: ")
              + publication.error());
    }
    if (revision < 0) {
      return new RegionHealth(
          region, UNKNOWN, revision, raters.size(), current, refusing, "not published yet");
    }
    String reason = null;
    if (raters.isEmpty()) {
      reason = "no live rater";
    } else if (refusing > 0) {
      reason = refusing + " of " + raters.size() + " raters refuse revision " + revision;
    } else if (current < raters.size()
        && Duration.between(publication.at(), now).compareTo(CATCH_UP_GRACE) > 0) {
      reason =
          (raters.size() - current)
              + " of "
              + raters.size()
              + " raters have not loaded revision "
              + revision;
    }
    return new RegionHealth(
        region,
        reason == null ? HEALTHY : DEGRADED,
        revision,
        raters.size(),
        current,
        refusing,
        reason);
  }
}
