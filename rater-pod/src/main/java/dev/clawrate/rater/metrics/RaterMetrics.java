package dev.clawrate.rater.metrics;

import dev.clawrate.contract.engine.MemoryBudget;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.Decision;
import dev.clawrate.rater.rating.FallbackAnswer;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rater's metrics (contract 4). No series is labelled with anything a request or a snapshot can
 * multiply without bound: digests are in {@link MetricNames#MODEL_INFO} only, and the series of a
 * tenant or model leave with it (see {@link TenantMeters}).
 */
public final class RaterMetrics implements ReloadListener {

  /** Latency buckets: sub-millisecond for healthy models, up to the largest time limit. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  /**
   * Rating buckets covering probabilities (0..1), tiers (1..10) and credit scores (300..900). The
   * shadow's rating values use them too, so the two are compared bucket for bucket.
   */
  private static final double[] RATING_BUCKETS = {
    0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1, 2, 3, 4, 5, 10, 100, 300, 400, 450, 500, 550, 600,
    650, 700, 750, 800, 850, 900, 1000
  };

  /** The bounds of the request latency histogram, for tools that must write what raters write. */
  public static Duration[] latencyBuckets() {
    return LATENCY_BUCKETS.clone();
  }

  /** The bounds of the rating value histograms (the shadow's too). */
  public static double[] ratingBuckets() {
    return RATING_BUCKETS.clone();
  }

  private final PrometheusMeterRegistry registry;
  private final TenantMeters tenants;
  private final Map<String, AtomicLong> revisions = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastReloadOk = new ConcurrentHashMap<>();
  private final Map<String, Counter> heartbeatWrites = new ConcurrentHashMap<>();
  // Meters that follow the live snapshot's models; replaced on every accepted reload.
  private final Map<String, List<Meter>> modelMeters = new ConcurrentHashMap<>();
  private final ShadowMetrics shadows;
  private final AuditMetrics audit;

  public RaterMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    tenants = new TenantMeters(registry, LATENCY_BUCKETS, RATING_BUCKETS);
    shadows = new ShadowMetrics(registry);
    audit = new AuditMetrics(registry);
  }

  /** Where the decision log's records are counted. */
  public AuditMetrics audit() {
    return audit;
  }

  /** Where shadow evaluations are counted. */
  public ShadowMetrics shadows() {
    return shadows;
  }

  /**
   * JVM memory, GC, thread and CPU metrics. Bound after start-up, off the path to ready: the GC
   * metrics alone load the JMX machinery, a few hundred milliseconds on a cold JVM.
   */
  public void bindJvmMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The engine's memory budget: what model instances hold, the most they may, refusals. */
  public void bindModelMemory(MemoryBudget budget) {
    Gauge.builder(MetricNames.MODEL_MEMORY_USED, budget, MemoryBudget::usedBytes)
        .description("Linear memory held by all model instances, idle ones included")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    Gauge.builder(MetricNames.MODEL_MEMORY_BUDGET, budget, MemoryBudget::limitBytes)
        .description("Linear memory all model instances may hold together")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    FunctionCounter.builder(MetricNames.MODEL_MEMORY_REFUSALS, budget, MemoryBudget::refusals)
        .description("Model calls answered overloaded because the memory budget had no room")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  /** A request that reached a tenant's model (route known). */
  public void request(TenantRoute route, Outcome outcome, long nanos) {
    tenants.request(route, outcome, nanos);
  }

  /**
   * A request turned away before a tenant's route was found. The tenant header is not used as a
   * label: any caller could otherwise create series without bound.
   */
  public void unroutedRequest(String track, Outcome outcome, long nanos) {
    tenants.unroutedRequest(track, outcome, nanos);
  }

  public void rating(TenantRoute route, double value, Decision decision) {
    tenants.rating(route, value, decision);
  }

  /**
   * An answer the tenant's fallback gave in place of its failed model. Its ratings and decisions
   * are not recorded as the tenant's model's: they are another model's, or no rating at all.
   */
  public void fallback(FallbackAnswer answer) {
    tenants.fallback(answer);
  }

  @Override
  public void accepted(LoadedSnapshot snapshot) {
    revisionGauge(snapshot.track()).set(snapshot.revision());
    lastReloadOkGauge(snapshot.track()).set(1);
    reloadCounter(snapshot.track(), "accepted").increment();
    bindModelMeters(snapshot);
    tenants.follow(snapshot);
    shadows.accepted(snapshot);
  }

  @Override
  public void recovered(LoadedSnapshot snapshot) {
    lastReloadOkGauge(snapshot.track()).set(1);
  }

  @Override
  public void rejected(String track, String error) {
    lastReloadOkGauge(track).set(0);
    reloadCounter(track, "rejected").increment();
  }

  /** A write of the heartbeat Lease, by how it went. */
  public void heartbeatWrite(String outcome) {
    heartbeatWrites
        .computeIfAbsent(
            outcome,
            o ->
                Counter.builder(MetricNames.HEARTBEAT_WRITES)
                    .description("Writes of this rater's heartbeat Lease")
                    .tags(MetricNames.TAG_OUTCOME, o)
                    .register(registry))
        .increment();
  }

  private Counter reloadCounter(String track, String outcome) {
    return Counter.builder(MetricNames.CONFIG_RELOADS)
        .description("Snapshot reload attempts")
        .tags(MetricNames.TAG_TRACK, track, MetricNames.TAG_OUTCOME, outcome)
        .register(registry);
  }

  private AtomicLong revisionGauge(String track) {
    return revisions.computeIfAbsent(
        track,
        t ->
            gauge(
                MetricNames.CONFIG_REVISION,
                "Revision of the live config snapshot",
                t,
                new AtomicLong(-1)));
  }

  private AtomicLong lastReloadOkGauge(String track) {
    return lastReloadOk.computeIfAbsent(
        track,
        t ->
            gauge(
                MetricNames.CONFIG_LAST_RELOAD_OK,
                "1 when the last snapshot reload was accepted, 0 when it was rejected",
                t,
                new AtomicLong(0)));
  }

  private AtomicLong gauge(String name, String help, String track, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::get)
        .description(help)
        .tags(MetricNames.TAG_TRACK, track)
        .strongReference(true)
        .register(registry);
    return value;
  }

  private void bindModelMeters(LoadedSnapshot snapshot) {
    // Removed first: a re-registration with the same tags would return the old meter, still
    // bound to the runtime it replaced.
    List<Meter> previous = modelMeters.remove(snapshot.track());
    if (previous != null) {
      previous.forEach(registry::remove);
    }
    List<Meter> meters = new ArrayList<>();
    snapshot
        .models()
        .forEach(
            (name, runtime) -> {
              Tags tags =
                  Tags.of(MetricNames.TAG_MODEL, name, MetricNames.TAG_TRACK, snapshot.track());
              meters.add(
                  Gauge.builder(MetricNames.MODEL_INFO, () -> 1)
                      .description("1 for each live model, labelled with the digest it runs")
                      .tags(tags.and(MetricNames.TAG_DIGEST, runtime.digest()))
                      .register(registry));
              meters.add(
                  FunctionCounter.builder(
                          MetricNames.MODEL_INSTANTIATIONS, runtime, ModelRuntime::instancesCreated)
                      .description("Model instances created")
                      .tags(tags)
                      .register(registry));
              meters.add(
                  FunctionCounter.builder(
                          MetricNames.MODEL_INSTANCES_DISCARDED,
                          runtime,
                          ModelRuntime::instancesDiscarded)
                      .description("Model instances thrown away after a trap or timeout")
                      .tags(tags)
                      .register(registry));
              meters.add(
                  Gauge.builder(
                          MetricNames.MODEL_INTERPRETED_FUNCTIONS,
                          runtime,
                          r -> r.model().interpretedFunctions().size())
                      .description(
                          "Functions of the compiled model too large for the JVM, run by the"
                              + " interpreter")
                      .tags(tags)
                      .register(registry));
              meters.add(
                  FunctionCounter.builder(
                          MetricNames.MODEL_INSTANCES_EVICTED,
                          runtime,
                          ModelRuntime::instancesEvicted)
                      .description("Model instances dropped while idle, returning their memory")
                      .tags(tags)
                      .register(registry));
            });
    modelMeters.put(snapshot.track(), meters);
  }
}
