package dev.clawrate.operator.canary;

import dev.clawrate.operator.api.CanaryAnalysisSpec;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryShadowSpec;
import dev.clawrate.operator.api.CanaryStepSpec;
import dev.clawrate.operator.api.CanaryTrafficSpec;
import dev.clawrate.operator.api.GoDuration;
import dev.clawrate.operator.traffic.WeightSplit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A CanaryRelease's spec with every default applied (pure): what the release machine and the
 * analysis read, so neither deals with absent fields.
 *
 * @param steps never empty
 * @param regions the order regions take the release in, or null for every region, the hub first
 * @param shadowSampleRate (0..1], or null when there is no shadow phase
 */
public record ReleaseSettings(
    String route,
    String stableService,
    String canaryService,
    List<Step> steps,
    Duration interval,
    Duration progressDeadline,
    int failureLimit,
    AnalysisLimits limits,
    Double shadowSampleRate,
    List<String> regions,
    boolean paused) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  public static final long DEFAULT_MIN_REQUESTS = 50;
  public static final double DEFAULT_MAX_ERROR_RATE_PERCENT = 1;
  public static final double DEFAULT_MAX_FLIP_RATE_PERCENT = 1;
  public static final double DEFAULT_MAX_POPULATION_STABILITY = 0.25;
  public static final double DEFAULT_SHADOW_PERCENT = 5;
  public static final long DEFAULT_SHADOW_MIN_SAMPLES = 200;

  /** The shortest interval: the raters' metrics are read once per interval in every region. */
  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** One traffic step. */
  public record Step(WeightSplit weight, Duration pause) {}

  public ReleaseSettings {
    steps = List.copyOf(steps);
    regions = regions == null ? null : List.copyOf(regions);
  }

  /** The settings of a readable spec; the caller has checked it is not null. */
  public static ReleaseSettings of(CanaryReleaseSpec spec) {
    CanaryTrafficSpec traffic =
        spec.getTraffic() == null ? new CanaryTrafficSpec() : spec.getTraffic();
    CanaryAnalysisSpec analysis =
        spec.getAnalysis() == null ? new CanaryAnalysisSpec() : spec.getAnalysis();
    CanaryShadowSpec shadow = spec.getShadow();
    List<Step> steps = new ArrayList<>();
    if (spec.getSteps() != null) {
      for (CanaryStepSpec step : spec.getSteps()) {
        if (step != null && step.getWeight() != null) {
          steps.add(
              new Step(
                  WeightSplit.canaryPercent(
                      BigDecimal.valueOf(clamp(step.getWeight(), 0.001, 100))
                          .setScale(WeightSplit.MAX_DECIMALS, RoundingMode.HALF_UP)),
                  GoDuration.parse(step.getPause(), Duration.ZERO)));
        }
      }
    }
    if (steps.isEmpty()) {
      steps.add(new Step(WeightSplit.ALL_CANARY, Duration.ZERO));
    }
    Duration interval = GoDuration.parse(analysis.getInterval(), DEFAULT_INTERVAL);
    return new ReleaseSettings(
        traffic.getRoute(),
        traffic.getStableService(),
        traffic.getCanaryService(),
        steps,
        interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval,
        GoDuration.parse(analysis.getProgressDeadline(), DEFAULT_PROGRESS_DEADLINE),
        analysis.getFailureLimit() == null ? 0 : Math.max(0, analysis.getFailureLimit()),
        new AnalysisLimits(
            orElse(analysis.getMinRequests(), DEFAULT_MIN_REQUESTS),
            percent(analysis.getMaxErrorRatePercent(), DEFAULT_MAX_ERROR_RATE_PERCENT),
            analysis.getMaxP95Millis(),
            analysis.getMaxP99Millis(),
            percent(analysis.getMaxFlipRatePercent(), DEFAULT_MAX_FLIP_RATE_PERCENT),
            analysis.getMaxPopulationStability() == null
                ? DEFAULT_MAX_POPULATION_STABILITY
                : analysis.getMaxPopulationStability(),
            shadow == null || shadow.getMinSamples() == null
                ? DEFAULT_SHADOW_MIN_SAMPLES
                : Math.max(1, shadow.getMinSamples())),
        shadow == null
            ? null
            : percent(shadow.getSamplePercent(), DEFAULT_SHADOW_PERCENT) == 0
                ? null
                : percent(shadow.getSamplePercent(), DEFAULT_SHADOW_PERCENT),
        spec.getRegions(),
        Boolean.TRUE.equals(spec.getPaused()));
  }

  private static long orElse(Long value, long otherwise) {
    return value == null ? otherwise : Math.max(1, value);
  }

  /** A percentage from the spec as a share in [0, 1]. */
  private static double percent(Double value, double otherwise) {
    return clamp(value == null ? otherwise : value, 0, 100) / 100;
  }

  private static double clamp(double value, double low, double high) {
    return Double.isNaN(value) ? low : Math.max(low, Math.min(high, value));
  }
}
