package dev.clawrate.operator.canary;

/**
 * What an analysis measured, for status and Events; a figure is null when it could not be measured
 * (no data, or too little to compare).
 *
 * @param requests requests of the judged side: the canary's, or the stable raters' in the shadow
 *     phase
 * @param errorRate the canary's (server errors + fallbacks) / requests, or in the shadow phase the
 *     candidate's errors / shadow samples
 * @param p95Millis the canary's 95th percentile latency; null in the shadow phase
 * @param p99Millis the canary's 99th percentile latency; null in the shadow phase
 * @param flipRate flips / shadow samples
 * @param populationStability the population stability index of the candidate's ratings against the
 *     live model's (canary against stable in the traffic phase)
 * @param shadowSamples shadow samples: agreements, flips and candidate errors
 */
public record Figures(
    long requests,
    Double errorRate,
    Double p95Millis,
    Double p99Millis,
    Double flipRate,
    Double populationStability,
    long shadowSamples) {}
