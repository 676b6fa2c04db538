package dev.clawrate.operator.metrics;

import dev.clawrate.rater.metrics.RaterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rater's exposition with chosen observations: the meters the rater registers (names, tags and
 * buckets as in its RaterMetrics, and the shadow meters as they are being added), written by the
 * same micrometer registry, so the text is what a rater serves.
 */
final class RaterExposition {

  static final String MODEL = "credit-scorecard";
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static final Duration[] LATENCY_BUCKETS = RaterMetrics.latencyBuckets();

  static final double[] RATING_BUCKETS = RaterMetrics.ratingBuckets();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  RaterExposition live(String track, long revision) {
    registry.gauge(
        "clawrate.config.revision",
        io.micrometer.core.instrument.Tags.of("track", track),
        new AtomicLong(revision));
    return this;
  }

  RaterExposition request(String tenant, String track, String outcome, double millis) {
    Timer.builder("clawrate.rate.requests")
        .tags(
            "tenant", tenant, "model", MODEL, "digest", DIGEST, "track", track, "outcome", outcome)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)
        .record(Duration.ofNanos(Math.round(millis * 1_000_000)));
    return this;
  }

  RaterExposition rating(String tenant, String track, double rating, String decision) {
    DistributionSummary.builder("clawrate.rating.value")
        .tags("tenant", tenant, "model", MODEL, "track", track)
        .serviceLevelObjectives(RATING_BUCKETS)
        .register(registry)
        .record(rating);
    Counter.builder("clawrate.rate.decisions")
        .tags("tenant", tenant, "model", MODEL, "track", track, "decision", decision)
        .register(registry)
        .increment();
    return this;
  }

  /** A shadow comparison; a null candidate rating is a candidate error. */
  RaterExposition shadow(String tenant, String result, double live, Double candidate) {
    Counter.builder("clawrate.shadow.comparisons")
        .tags("tenant", tenant, "model", MODEL, "result", result)
        .register(registry)
        .increment();
    shadowRating(tenant, "live", live);
    if (candidate != null) {
      shadowRating(tenant, "candidate", candidate);
      DistributionSummary.builder("clawrate.shadow.rating.delta")
          .tags("tenant", tenant, "model", MODEL)
          .register(registry)
          .record(Math.abs(candidate - live));
    }
    return this;
  }

  RaterExposition skipped(String tenant, String reason) {
    Counter.builder("clawrate.shadow.skipped")
        .tags("tenant", tenant, "model", MODEL, "reason", reason)
        .register(registry)
        .increment();
    return this;
  }

  private void shadowRating(String tenant, String version, double rating) {
    DistributionSummary.builder("clawrate.shadow.rating.value")
        .tags("tenant", tenant, "model", MODEL, "version", version)
        .serviceLevelObjectives(RATING_BUCKETS)
        .register(registry)
        .record(rating);
  }

  String text() {
    return registry.scrape();
  }
}
