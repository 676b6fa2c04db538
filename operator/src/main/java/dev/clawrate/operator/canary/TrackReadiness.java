package dev.clawrate.operator.canary;

import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.operator.publish.RegionPublisher.TrackView;
import dev.clawrate.operator.render.ConfigVersion;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.TrackSplit;
import dev.clawrate.operator.served.Rater;
import java.util.Map;
import java.util.Set;

/**
 * Whether a track of a region serves a version of a target (pure): the region's snapshot of the
 * track, as last written, carries it, and every live rater of the track reports that revision or a
 * later one. Written is not served: a step counts only once raters load what it needs.
 */
public final class TrackReadiness {

  private TrackReadiness() {}

  public static boolean serves(TrackView view, ResourceKey target, ConfigVersion version) {
    if (view.written() == null
        || version == null
        || !version.equals(TrackSplit.currentVersion(view.written(), target))) {
      return false;
    }
    return ratersAt(view);
  }

  /**
   * Whether the stable track of a region rates the target's tenants with the candidate too: its
   * snapshot as last written holds a shadow of the candidate for each of them, and its raters serve
   * it.
   */
  public static boolean shadows(TrackView view, Set<String> tenants, ConfigVersion candidate) {
    if (view.written() == null || candidate == null || tenants.isEmpty()) {
      return false;
    }
    Map<String, ShadowEntry> shadows = view.written().document().shadows();
    for (String tenant : tenants) {
      ShadowEntry shadow = shadows.get(tenant);
      boolean ofCandidate =
          shadow != null
              && (candidate.model() != null
                  ? shadow.model().equals(candidate.model())
                  : shadow.tenant().equals(candidate.tenant()));
      if (!ofCandidate) {
        return false;
      }
    }
    return ratersAt(view);
  }

  /** Whether there are live raters and each reports the revision last written, or a later one. */
  public static boolean ratersAt(TrackView view) {
    if (view.revision() < 0 || view.raters().isEmpty()) {
      return false;
    }
    for (Rater rater : view.raters()) {
      if (rater.revision() < view.revision()) {
        return false;
      }
    }
    return true;
  }
}
