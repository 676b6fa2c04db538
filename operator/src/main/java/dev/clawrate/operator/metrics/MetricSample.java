package dev.clawrate.operator.metrics;

import java.util.Map;

/**
 * One sample of a Prometheus exposition or query result: a series and its value. Label values are
 * untrusted text: match them against known values, never log them.
 *
 * @param name the metric name, e.g. {@code clawrate_rate_requests_seconds_bucket}
 * @param labels label name to value
 * @param value the value; may be NaN or infinite
 */
public record MetricSample(String name, Map<String, String> labels, double value) {

  public MetricSample {
    labels = Map.copyOf(labels);
  }

  /** The label's value, or "" when the series has no such label (as PromQL treats it). */
  public String label(String label) {
    return labels.getOrDefault(label, "");
  }
}
