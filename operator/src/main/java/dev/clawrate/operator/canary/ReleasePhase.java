package dev.clawrate.operator.canary;

import java.util.Set;

/** The phases of a CanaryRelease, as {@code status.phase} shows them. */
public final class ReleasePhase {

  /** No release has run: the target's config as first seen is what both tracks serve. */
  public static final String IDLE = "Idle";

  /** Stable raters rate a sample of live requests with the candidate too; no traffic moved. */
  public static final String SHADOWING = "Shadowing";

  /** The candidate takes traffic, step by step, region by region. */
  public static final String PROGRESSING = "Progressing";

  /**
   * Held by {@code spec.paused}: no step advances; analyses go on and a breach still rolls back.
   */
  public static final String PAUSED = "Paused";

  /** The candidate is now stable's; traffic returns to stable once stable raters serve it. */
  public static final String PROMOTING = "Promoting";

  public static final String SUCCEEDED = "Succeeded";

  public static final String ROLLED_BACK = "RolledBack";

  private static final Set<String> ACTIVE = Set.of(SHADOWING, PROGRESSING, PAUSED, PROMOTING);

  /**
   * Whether a candidate is under release in the phase; false for none (a status not yet written).
   */
  public static boolean active(String phase) {
    return phase != null && ACTIVE.contains(phase);
  }

  private ReleasePhase() {}
}
