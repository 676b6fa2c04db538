package dev.clawrate.rater.shadow;

import dev.clawrate.rater.rating.TenantRoute;

/**
 * A tenant's shadow, resolved when its snapshot is loaded as the tenant's own route is: the
 * candidate's runtime, threshold and parameters wrapped in a route of their own, so evaluating a
 * sample is rating it on that route.
 *
 * @param tenant the tenant id
 * @param liveModel the tenant's live model name: the {@code model} label of the shadow metrics
 * @param sampleRate the share of the tenant's rated requests sampled, above 0 and at most 1
 * @param candidate the candidate's route: its model name, runtime (its own instance pool),
 *     threshold and parameters, with no API keys and no fallback
 */
public record ShadowRoute(
    String tenant, String liveModel, double sampleRate, TenantRoute candidate) {

  /**
   * Whether a request is sampled, given a number drawn uniformly from [0, 1): a rate of 1 samples
   * every request.
   */
  public boolean sampled(double uniform) {
    return uniform < sampleRate;
  }

  /** The candidate module's digest. */
  public String digest() {
    return candidate.digest();
  }
}
