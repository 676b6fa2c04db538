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
public record MetricSample(String name, Map<String, String> labels, double value)
    implements Sample {

  public MetricSample {
    labels = Map.copyOf(labels);
  }

  /** A sample to keep, of one that may change once handed over. */
  static MetricSample copyOf(Sample sample) {
    return sample instanceof MetricSample kept
        ? kept
        : new MetricSample(sample.name(), sample.labels(), sample.value());
  }

  @Override
  public String label(String label) {
    return labels.getOrDefault(label, "");
  }
}
