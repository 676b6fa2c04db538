package dev.clawrate.operator.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * What one rater instance reports for a set of tenants on one track, summed over them: cumulative
 * since the instance started, or (after {@link #minus}) an increase over a window. Counts are
 * doubles because Prometheus counters are.
 *
 * @param requests every request of those tenants, whatever its outcome
 * @param serverErrors requests that failed on the server's or model's side ({@code model_trap},
 *     {@code model_timeout}, {@code model_bad_output}, {@code no_config}, {@code internal_error})
 * @param fallbacks requests the tenant's fallback answered (outcome {@code fallback})
 * @param latencySeconds the latency of every request, in seconds
 * @param ratings the ratings of the tenants' own models
 * @param decisions decision (e.g. {@code approve}) to count
 * @param shadow what the instance reports of shadowing ({@link ShadowFigures#NONE} on a canary)
 */
public record RaterSample(
    double requests,
    double serverErrors,
    double fallbacks,
    Histogram latencySeconds,
    Histogram ratings,
    Map<String, Double> decisions,
    ShadowFigures shadow) {

  public static final RaterSample EMPTY =
      new RaterSample(0, 0, 0, Histogram.EMPTY, Histogram.EMPTY, Map.of(), ShadowFigures.NONE);

  public RaterSample {
    Counts.requireCount("requests", requests);
    Counts.requireCount("serverErrors", serverErrors);
    Counts.requireCount("fallbacks", fallbacks);
    if (latencySeconds == null || ratings == null || decisions == null || shadow == null) {
      throw new IllegalArgumentException("histograms, decisions and shadow must not be null");
    }
    decisions.values().forEach(count -> Counts.requireCount("a decision count", count));
    decisions = Map.copyOf(decisions);
  }

  /** Both samples together: two instances, or two regions. */
  public RaterSample plus(RaterSample other) {
    Map<String, Double> sum = new HashMap<>(decisions);
    other.decisions.forEach((decision, count) -> sum.merge(decision, count, Double::sum));
    return new RaterSample(
        requests + other.requests,
        serverErrors + other.serverErrors,
        fallbacks + other.fallbacks,
        latencySeconds.plus(other.latencySeconds),
        ratings.plus(other.ratings),
        sum,
        shadow.plus(other.shadow));
  }

  /**
   * What the instance reported since {@code earlier}, a read of the same instance, track and
   * tenants. When any counter fell below what it was, the instance restarted in between and
   * everything it reports is new: the increase is this sample as it is. (Prometheus's {@code
   * increase()} judges each series alone; one instance's counters all reset together, so one that
   * fell is taken as a reset of all, and a counter that outgrew its old value since the restart is
   * not mistaken for a small increase.)
   */
  public RaterSample minus(RaterSample earlier) {
    if (restartedSince(earlier)) {
      return this;
    }
    Map<String, Double> increase = new HashMap<>();
    decisions.forEach(
        (decision, count) ->
            increase.put(decision, count - earlier.decisions.getOrDefault(decision, 0.0)));
    return new RaterSample(
        requests - earlier.requests,
        serverErrors - earlier.serverErrors,
        fallbacks - earlier.fallbacks,
        latencySeconds.minus(earlier.latencySeconds),
        ratings.minus(earlier.ratings),
        increase,
        shadow.minusWithoutReset(earlier.shadow));
  }

  /** Whether a counter holds less than in {@code earlier}: the instance restarted in between. */
  public boolean restartedSince(RaterSample earlier) {
    if (requests < earlier.requests
        || serverErrors < earlier.serverErrors
        || fallbacks < earlier.fallbacks
        || latencySeconds.fellBelow(earlier.latencySeconds)
        || ratings.fellBelow(earlier.ratings)
        || shadow.fellBelow(earlier.shadow)) {
      return true;
    }
    for (Map.Entry<String, Double> decision : earlier.decisions.entrySet()) {
      if (decisions.getOrDefault(decision.getKey(), 0.0) < decision.getValue()) {
        return true;
      }
    }
    return false;
  }
}
