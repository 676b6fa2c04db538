package dev.clawrate.operator.alert.slo;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import java.util.Map;

/**
 * One objective a tenant asks for: the share of its requests that must be good.
 *
 * <ul>
 *   <li>{@link AlertKind#AVAILABILITY}: good is not a server error (the raters' {@code
 *       serverErrors}: 5xx answers). A fallback's answer is a 200, so good here.
 *   <li>{@link AlertKind#LATENCY}: good is answered within {@code thresholdSeconds}, as the raters'
 *       latency histogram tells it: the cumulative count at its largest bucket bound at or below
 *       the threshold. A threshold between two bounds is thus judged at the lower one, so a request
 *       counted good surely was fast enough; {@link #judgedAtSeconds} says which bound that is.
 * </ul>
 *
 * @param kind {@link AlertKind#AVAILABILITY} or {@link AlertKind#LATENCY}
 * @param target the share of good requests, above 0 and below 1 (e.g. 0.999)
 * @param thresholdSeconds the latency a good request is answered within; NaN for availability
 */
public record SloObjective(AlertKind kind, double target, double thresholdSeconds) {

  /** Good and bad requests of an increment, as this objective counts them. */
  public record Events(double total, double bad) {}

  public SloObjective {
    if (kind != AlertKind.AVAILABILITY && kind != AlertKind.LATENCY) {
      throw new IllegalArgumentException("an SLO objective is about availability or latency");
    }
    String why = whyNotTarget(target);
    if (why != null) {
      throw new IllegalArgumentException("the " + kind.label() + " target " + why);
    }
    if (kind == AlertKind.LATENCY) {
      why = whyNotThreshold(thresholdSeconds);
      if (why != null) {
        throw new IllegalArgumentException("the latency threshold " + why);
      }
    } else if (!Double.isNaN(thresholdSeconds)) {
      throw new IllegalArgumentException("an availability objective has no latency threshold");
    }
  }

  /** 99.9% of requests are not server errors: {@code availability(0.999)}. */
  public static SloObjective availability(double target) {
    return new SloObjective(AlertKind.AVAILABILITY, target, Double.NaN);
  }

  /** 99% of requests answered within 100 ms: {@code latency(0.99, 0.1)}. */
  public static SloObjective latency(double target, double thresholdSeconds) {
    return new SloObjective(AlertKind.LATENCY, target, thresholdSeconds);
  }

  /** Why {@code target} cannot be an objective's target, or null when it can. */
  public static String whyNotTarget(double target) {
    return target > 0 && target < 1 ? null : "must be above 0 and below 1 (0.999 is 99.9%)";
  }

  /** Why {@code seconds} cannot be a latency threshold, or null when it can. */
  public static String whyNotThreshold(double seconds) {
    return Double.isFinite(seconds) && seconds > 0
        ? null
        : "must be a number of seconds above 0 (0.1 is 100 ms)";
  }

  /** The share of requests that may be bad: the error budget, {@code 1 - target}. */
  public double budget() {
    return 1 - target;
  }

  /** The highest burn rate there can be, when every request is bad: {@code 1 / budget()}. */
  public double maxBurnRate() {
    return 1 / budget();
  }

  /**
   * The requests of an increment and how many of them were bad. Latency counts the histogram's
   * observations, availability the requests; bad is never more than the total.
   */
  public Events events(RaterSample increment) {
    if (kind == AlertKind.AVAILABILITY) {
      double total = increment.requests();
      return new Events(total, Math.min(increment.serverErrors(), total));
    }
    Histogram latency = increment.latencySeconds();
    double total = latency.count();
    return new Events(total, total - Math.min(latency.cumulativeAt(thresholdSeconds), total));
  }

  /**
   * The bucket bound a latency histogram with these buckets is judged at: the largest at or below
   * the threshold; 0 when every bound is above it (no request then counts as fast enough); NaN for
   * availability and for a histogram without buckets.
   */
  public double judgedAtSeconds(Histogram latency) {
    if (kind != AlertKind.LATENCY || latency.cumulative().isEmpty()) {
      return Double.NaN;
    }
    Map.Entry<Double, Double> bucket = latency.cumulative().floorEntry(thresholdSeconds);
    return bucket == null ? 0 : bucket.getKey();
  }
}
