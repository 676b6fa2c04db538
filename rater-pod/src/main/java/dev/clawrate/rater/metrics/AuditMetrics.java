package dev.clawrate.rater.metrics;

import dev.clawrate.rater.audit.AuditRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@link MetricNames#AUDIT_RECORDS}: what became of the decision log's records. */
public final class AuditMetrics implements AuditRecorder {

  private final Counter written;
  private final Counter dropped;
  private final Counter failed;

  AuditMetrics(MeterRegistry registry) {
    written = counter(registry, "written");
    dropped = counter(registry, "dropped");
    failed = counter(registry, "failed");
  }

  private static Counter counter(MeterRegistry registry, String result) {
    return Counter.builder(MetricNames.AUDIT_RECORDS)
        .description("Decision log records by result: written, dropped (queue full) or failed")
        .tags(MetricNames.TAG_RESULT, result)
        .register(registry);
  }

  @Override
  public void written() {
    written.increment();
  }

  @Override
  public void dropped() {
    dropped.increment();
  }

  @Override
  public void failed() {
    failed.increment();
  }
}
