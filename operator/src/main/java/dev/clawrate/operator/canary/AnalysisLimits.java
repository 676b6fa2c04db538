package dev.clawrate.operator.canary;

/**
 * What a canary must stay within. Rates are fractions (0.01 is 1%).
 *
 * @param minRequests canary requests needed before the traffic phase is judged; also the ratings
 *     each side needs before their distributions are compared
 * @param maxErrorRate the highest error rate: (server errors + fallbacks) / requests of the canary,
 *     or candidate errors / shadow samples in the shadow phase
 * @param maxP95Millis the highest 95th percentile latency of the canary, or null for no limit
 * @param maxP99Millis the highest 99th percentile latency of the canary, or null for no limit
 * @param maxFlipRate the highest share of shadow samples where the candidate decided otherwise
 * @param maxPopulationStability the highest population stability index between the candidate's
 *     ratings and the live model's (see {@link PopulationStability}: 0.1 small, 0.25 significant)
 * @param minShadowSamples shadow samples needed before the shadow phase is judged; also the ratings
 *     each side needs there before their distributions are compared
 */
public record AnalysisLimits(
    long minRequests,
    double maxErrorRate,
    Double maxP95Millis,
    Double maxP99Millis,
    double maxFlipRate,
    double maxPopulationStability,
    long minShadowSamples) {

  public AnalysisLimits {
    if (minRequests < 0 || minShadowSamples < 0) {
      throw new IllegalArgumentException("minRequests and minShadowSamples must not be negative");
    }
    requireFraction("maxErrorRate", maxErrorRate);
    requireFraction("maxFlipRate", maxFlipRate);
    if (!(maxPopulationStability >= 0) || Double.isInfinite(maxPopulationStability)) {
      throw new IllegalArgumentException("maxPopulationStability must be a number, at least 0");
    }
    requirePositive("maxP95Millis", maxP95Millis);
    requirePositive("maxP99Millis", maxP99Millis);
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1");
    }
  }

  private static void requirePositive(String name, Double value) {
    if (value != null && !(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(name + " must be a positive number of milliseconds");
    }
  }
}
