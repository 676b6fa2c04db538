package dev.clawrate.operator.metrics;

import dev.clawrate.rater.metrics.RaterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * A rater's {@code /metrics} for many tenants, written by micrometer's Prometheus registry with the
 * rater's meters (names, tags and buckets of its RaterMetrics): per tenant a request timer (16
 * buckets) for two outcomes, two decisions and the rating histogram.
 */
final class RaterMetricsText {

  private static final Duration[] LATENCY_BUCKETS = RaterMetrics.latencyBuckets();

  private static final double[] RATING_BUCKETS = RaterMetrics.ratingBuckets();

  private static final String DIGEST = "sha256:" + "3f".repeat(32);

  private RaterMetricsText() {}

  /** The exposition of a stable rater that has rated for {@code tenants} tenants. */
  static String of(int tenants) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (int i = 0; i < tenants; i++) {
      String tenant = "tenant-" + i + ".bank";
      String model = "credit-scorecard-" + (i % 50);
      for (String outcome : new String[] {"ok", "model_timeout"}) {
        Timer timer =
            Timer.builder("clawrate.rate.requests")
                .tags(
                    "tenant", tenant, "model", model, "digest", DIGEST, "track", "stable",
                    "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        timer.record(Duration.ofMillis(1 + i % 20));
      }
      DistributionSummary ratings =
          DistributionSummary.builder("clawrate.rating.value")
              .tags("tenant", tenant, "model", model, "track", "stable")
              .serviceLevelObjectives(RATING_BUCKETS)
              .register(registry);
      ratings.record(300 + i % 600);
      for (String decision : new String[] {"approve", "decline"}) {
        Counter.builder("clawrate.rate.decisions")
            .tags("tenant", tenant, "model", model, "track", "stable", "decision", decision)
            .register(registry)
            .increment(1 + i % 7);
      }
    }
    return registry.scrape();
  }
}
