package dev.clawrate.operator.canary;

import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges a canary on the raters' metrics over a window: pure, no I/O. Its inputs are increases
 * ({@link dev.clawrate.operator.metrics.RaterSamples#increase}) over the window, summed over the
 * instances of a region, or of every region.
 *
 * <p><b>Regions.</b> A canary is judged in every region and in the regions together: judge each
 * region's increases, judge their sum ({@link dev.clawrate.operator.metrics.RaterSamples#sum}), and
 * {@link #combine} the lot. A small region rarely has enough traffic on its own, so its HOLD does
 * not stop a canary the regions together pass; its FAIL does.
 *
 * <p>Whatever the limits say, nothing passes on no data: a judgement needs at least one request
 * (one shadow sample in the shadow phase).
 */
public final class CanaryAnalysis {

  private static final double P95 = 0.95;
  private static final double P99 = 0.99;

  private CanaryAnalysis() {}

  /**
   * The shadow phase: the candidate model rated the stable raters' requests beside the live model,
   * and answered none. HOLD below {@code minShadowSamples}; FAIL when the flip rate, the
   * candidate's error rate or the population stability of its ratings against the live ones (when
   * each side has {@code minShadowSamples} ratings) is over its limit; else PASS.
   *
   * @param shadowIncrease the stable track's increase, summed
   */
  public static Analysis judgeShadow(RaterSample shadowIncrease, AnalysisLimits limits) {
    ShadowFigures shadow = shadowIncrease.shadow();
    double samples = shadow.samples();
    long needed = Math.max(1, limits.minShadowSamples());
    Double flipRate = samples > 0 ? shadow.flip() / samples : null;
    Double errorRate = samples > 0 ? shadow.candidateError() / samples : null;
    Double stability =
        stability(shadow.candidateRatings(), shadow.liveRatings(), limits.minShadowSamples());
    Figures figures =
        new Figures(
            Math.round(shadowIncrease.requests()),
            errorRate,
            null,
            null,
            flipRate,
            stability,
            Math.round(samples));
    if (samples < needed) {
      return hold(figures, Math.round(samples) + " shadow samples < " + needed + " needed");
    }
    List<String> reasons = new ArrayList<>();
    overRate(reasons, "flip rate", flipRate, limits.maxFlipRate());
    overRate(reasons, "candidate error rate", errorRate, limits.maxErrorRate());
    overStability(reasons, "candidate vs live ratings", stability, limits.maxPopulationStability());
    return judged(figures, reasons);
  }

  /**
   * The traffic phase: the canary track answers a share of the requests. HOLD below {@code
   * minRequests} canary requests; FAIL when the canary's error rate, p95 or p99 latency, the
   * population stability of its ratings against the stable track's (when each side has {@code
   * minRequests} ratings), or the shadow flip rate (when there are shadow samples) is over its
   * limit; else PASS.
   *
   * @param canaryIncrease the canary track's increase, summed
   * @param stableIncrease the stable track's increase, summed
   * @param shadowIncrease the stable track's shadow increase, summed; may be null when there is no
   *     shadowing
   */
  public static Analysis judgeTraffic(
      RaterSample canaryIncrease,
      RaterSample stableIncrease,
      RaterSample shadowIncrease,
      AnalysisLimits limits) {
    double requests = canaryIncrease.requests();
    long needed = Math.max(1, limits.minRequests());
    ShadowFigures shadow = shadowIncrease == null ? ShadowFigures.NONE : shadowIncrease.shadow();
    Double errorRate =
        requests > 0
            ? (canaryIncrease.serverErrors() + canaryIncrease.fallbacks()) / requests
            : null;
    Double p95 = millis(canaryIncrease.latencySeconds(), P95);
    Double p99 = millis(canaryIncrease.latencySeconds(), P99);
    Double stability =
        stability(canaryIncrease.ratings(), stableIncrease.ratings(), limits.minRequests());
    Double flipRate = shadow.samples() > 0 ? shadow.flip() / shadow.samples() : null;
    Figures figures =
        new Figures(
            Math.round(requests),
            errorRate,
            p95,
            p99,
            flipRate,
            stability,
            Math.round(shadow.samples()));
    if (requests < needed) {
      return hold(figures, Math.round(requests) + " canary requests < " + needed + " needed");
    }
    List<String> reasons = new ArrayList<>();
    overRate(reasons, "error rate", errorRate, limits.maxErrorRate());
    overMillis(reasons, "p95 latency", p95, limits.maxP95Millis());
    overMillis(reasons, "p99 latency", p99, limits.maxP99Millis());
    overStability(reasons, "canary vs stable ratings", stability, limits.maxPopulationStability());
    overRate(reasons, "shadow flip rate", flipRate, limits.maxFlipRate());
    return judged(figures, reasons);
  }

  /**
   * Every region and the regions together: FAIL when the regions together or any region fails; PASS
   * when the regions together pass and no region fails; else HOLD. The figures are those of the
   * regions together; the reasons theirs, then each failing region's, named.
   *
   * @param together the analysis of the regions' summed increases
   * @param byRegion each region's own analysis, by region name
   */
  public static Analysis combine(Analysis together, Map<String, Analysis> byRegion) {
    List<String> reasons = new ArrayList<>(together.reasons());
    boolean regionFails = false;
    for (Map.Entry<String, Analysis> region : new TreeMap<>(byRegion).entrySet()) {
      if (region.getValue().verdict() == Verdict.FAIL) {
        regionFails = true;
        region
            .getValue()
            .reasons()
            .forEach(r -> reasons.add("region " + region.getKey() + ": " + r));
      }
    }
    Verdict verdict;
    if (together.verdict() == Verdict.FAIL || regionFails) {
      verdict = Verdict.FAIL;
    } else if (together.verdict() == Verdict.PASS) {
      verdict = Verdict.PASS;
    } else {
      verdict = Verdict.HOLD;
    }
    return new Analysis(verdict, together.figures(), reasons);
  }

  /** The index when each side has enough observations to compare, else null. */
  private static Double stability(Histogram actual, Histogram expected, long minCount) {
    long needed = Math.max(1, minCount);
    if (actual.count() < needed || expected.count() < needed) {
      return null;
    }
    double index = PopulationStability.index(actual, expected);
    return Double.isNaN(index) ? null : index;
  }

  private static Double millis(Histogram latencySeconds, double q) {
    double seconds = latencySeconds.quantile(q);
    return Double.isFinite(seconds) ? seconds * 1000 : null;
  }

  private static Analysis hold(Figures figures, String reason) {
    return new Analysis(Verdict.HOLD, figures, List.of(reason));
  }

  private static Analysis judged(Figures figures, List<String> reasons) {
    return new Analysis(reasons.isEmpty() ? Verdict.PASS : Verdict.FAIL, figures, reasons);
  }

  private static void overRate(List<String> reasons, String what, Double rate, double limit) {
    if (rate != null && rate > limit) {
      reasons.add(what + " " + percent(rate) + " > " + percent(limit));
    }
  }

  private static void overMillis(List<String> reasons, String what, Double millis, Double limit) {
    if (millis != null && limit != null && millis > limit) {
      reasons.add(
          String.format(Locale.ROOT, "%s %.1f ms > %.1f ms", what, millis, limit.doubleValue()));
    }
  }

  private static void overStability(List<String> reasons, String what, Double index, double limit) {
    if (index != null && index > limit) {
      reasons.add(
          String.format(Locale.ROOT, "population stability %.3f > %.3f (%s)", index, limit, what));
    }
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }
}
