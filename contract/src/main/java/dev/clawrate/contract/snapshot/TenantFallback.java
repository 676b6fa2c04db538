package dev.clawrate.contract.snapshot;

import java.util.regex.Pattern;

/**
 * What answers for a tenant when its own model cannot (it traps, runs out of time, returns no
 * rating, or cannot run): another model of the same snapshot, a fixed decision, or both, the model
 * first and the decision when that model cannot answer either.
 *
 * @param model name of another model of the snapshot (not the tenant's own), or null
 * @param decision the decision to answer with, or null; it must match {@link #DECISION}
 */
public record TenantFallback(String model, String decision) {

  /**
   * What a fixed decision may be: short and lowercase, so it goes into a response, a log line or a
   * dashboard as it is, with nothing to escape.
   */
  public static final Pattern DECISION = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public TenantFallback {
    if (model == null && decision == null) {
      throw new IllegalArgumentException("a fallback needs a model, a decision or both");
    }
    if (decision != null && !isDecision(decision)) {
      throw new IllegalArgumentException("a fallback decision must match " + DECISION.pattern());
    }
  }

  public static boolean isDecision(String decision) {
    return DECISION.matcher(decision).matches();
  }
}
