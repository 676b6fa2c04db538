package dev.clawrate.operator.render;

/**
 * A target under a CanaryRelease, as its status pins it: what each track serves for it.
 *
 * @param stable the last promoted version, or null before the release first adopted one (then both
 *     tracks serve the target as it is now)
 * @param canary the version under release, or null when none is: the canary track then mirrors
 *     stable
 * @param shadowSampleRate the share (0..1] of live requests the stable raters also rate with the
 *     candidate, or null for no shadow
 */
public record Governed(
    ResourceKey target, ConfigVersion stable, ConfigVersion canary, Double shadowSampleRate) {

  public boolean modelTarget() {
    return "RatingModel".equals(target.kind());
  }
}
