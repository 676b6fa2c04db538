package dev.clawrate.operator.metrics;

import java.util.Map;

/**
 * One sample of a series, as a parse or a query hands it on. A parser may hand on the same object
 * for every line, changed in between: read it while it is handed over, keep {@link
 * MetricSample#copyOf} of it if it must be kept. Label values are untrusted text: match them
 * against known values, never log them.
 */
interface Sample {

  /** The metric name, e.g. {@code clawrate_rate_requests_seconds_bucket}. */
  String name();

  /** The label's value, or "" when the series has no such label (as PromQL treats it). */
  String label(String label);

  /** Label name to value. */
  Map<String, String> labels();

  /** The value; may be NaN or infinite. */
  double value();
}
