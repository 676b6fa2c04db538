package dev.clawrate.rater.shadow;

import java.util.Locale;

/** How a candidate's answer compares with the live one; the {@code result} metric label. */
public enum ShadowResult {
  /** Both rated, with the same decision. */
  AGREE,
  /** Both rated, with different decisions: what a canary would change for the caller. */
  FLIP,
  /** The live model rated, the candidate did not. */
  CANDIDATE_ERROR;

  private final String label = name().toLowerCase(Locale.ROOT);

  public String label() {
    return label;
  }
}
