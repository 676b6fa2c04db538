package dev.clawrate.rater.metrics;

import dev.clawrate.rater.shadow.ShadowComparison;
import dev.clawrate.rater.shadow.ShadowRecorder;
import dev.clawrate.rater.shadow.ShadowResult;
import dev.clawrate.rater.shadow.ShadowRoute;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shadow metrics of contract 4. A shadow's meters are registered when the snapshot that brings
 * it goes live (so its series read 0 before the first sample, not absent) and removed when a
 * snapshot without it does; a swap that keeps a tenant's shadow keeps its series counting. Samples
 * of a shadow that left the live snapshot are not recorded: nothing brings its series back.
 */
public final class ShadowMetrics implements ShadowRecorder {

  /** |candidate - live|: hundredths matter to probabilities, tens of points to credit scores. */
  private static final double[] DELTA_BUCKETS = {
    0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500
  };

  private static final String QUEUE_FULL = "queue_full";
  private static final String LIVE = "live";
  private static final String CANDIDATE = "candidate";

  /** The labels every shadow series of a tenant carries. */
  private record Labels(String tenant, String model) {
    Tags tags() {
      return Tags.of(MetricNames.TAG_TENANT, tenant, MetricNames.TAG_MODEL, model);
    }
  }

  /** The meters of one tenant's shadow, registered and removed together. */
  private record Meters(
      Map<ShadowResult, Counter> comparisons,
      DistributionSummary delta,
      DistributionSummary liveValue,
      DistributionSummary candidateValue,
      Counter queueFull,
      List<Meter> all) {}

  /** A live shadow and the meters it records into. */
  private record Bound(ShadowRoute route, Meters meters) {}

  /** A registered gauge of {@link MetricNames#SHADOW_ACTIVE} and the value it reads. */
  private record Active(Gauge gauge, AtomicInteger value) {}

  private final MeterRegistry registry;
  // Replaced whole by accepted() and read by request and shadow threads, so a reader sees one
  // snapshot's shadows or the next one's, never a mix, and pays one map lookup.
  private volatile Map<String, Bound> bound = Map.of();
  // Guarded by this: only accepted() registers and removes meters.
  private final Map<Labels, Meters> meters = new HashMap<>();
  private final Map<Labels, Active> active = new HashMap<>();

  ShadowMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void compared(ShadowRoute route, ShadowComparison comparison) {
    Meters recorded = metersOf(route);
    if (recorded == null) {
      return;
    }
    recorded.comparisons().get(comparison.result()).increment();
    if (comparison.bothRated()) {
      recorded.delta().record(comparison.delta());
      recorded.liveValue().record(comparison.liveRating());
      recorded.candidateValue().record(comparison.candidateRating());
    }
  }

  @Override
  public void queueFull(ShadowRoute route) {
    Meters recorded = metersOf(route);
    if (recorded != null) {
      recorded.queueFull().increment();
    }
  }

  /** The meters of a live shadow; null once it has left the live snapshot. */
  private Meters metersOf(ShadowRoute route) {
    Bound current = bound.get(route.tenant());
    return current == null || current.route() != route ? null : current.meters();
  }

  /** Follows the snapshot that just went live. */
  synchronized void accepted(LoadedSnapshot snapshot) {
    Map<String, Bound> next = new HashMap<>();
    snapshot
        .shadows()
        .forEach(
            (tenant, route) -> {
              Labels labels = new Labels(tenant, route.liveModel());
              next.put(tenant, new Bound(route, meters.computeIfAbsent(labels, this::register)));
              active(labels).set(1);
            });
    Set<Labels> running = labelsOf(next);
    Set<Labels> named = new HashSet<>(running);
    snapshot
        .unavailableShadows()
        .keySet()
        .forEach(
            tenant -> {
              Labels labels = new Labels(tenant, snapshot.tenants().get(tenant).model());
              active(labels).set(0);
              named.add(labels);
            });
    bound = Map.copyOf(next);
    // After the swap above, so no reader finds a removed meter; one that took it just before
    // records into a meter no scrape shows any more.
    meters
        .entrySet()
        .removeIf(
            entry -> {
              boolean ended = !running.contains(entry.getKey());
              if (ended) {
                entry.getValue().all().forEach(registry::remove);
              }
              return ended;
            });
    active
        .entrySet()
        .removeIf(
            entry -> {
              boolean ended = !named.contains(entry.getKey());
              if (ended) {
                registry.remove(entry.getValue().gauge());
              }
              return ended;
            });
  }

  private static Set<Labels> labelsOf(Map<String, Bound> bound) {
    Set<Labels> labels = new HashSet<>();
    bound.forEach((tenant, b) -> labels.add(new Labels(tenant, b.route().liveModel())));
    return labels;
  }

  private AtomicInteger active(Labels labels) {
    return active
        .computeIfAbsent(
            labels,
            l -> {
              AtomicInteger value = new AtomicInteger();
              Gauge gauge =
                  Gauge.builder(MetricNames.SHADOW_ACTIVE, value, AtomicInteger::get)
                      .description("1 while the tenant's shadow is evaluated, 0 if it did not load")
                      .tags(l.tags())
                      .strongReference(true)
                      .register(registry);
              return new Active(gauge, value);
            })
        .value();
  }

  private Meters register(Labels labels) {
    List<Meter> all = new ArrayList<>();
    Map<ShadowResult, Counter> comparisons = new EnumMap<>(ShadowResult.class);
    for (ShadowResult result : ShadowResult.values()) {
      Counter counter =
          Counter.builder(MetricNames.SHADOW_COMPARISONS)
              .description("Samples the tenant's shadow evaluated, by how they compare")
              .tags(labels.tags().and(MetricNames.TAG_RESULT, result.label()))
              .register(registry);
      comparisons.put(result, counter);
      all.add(counter);
    }
    DistributionSummary delta =
        DistributionSummary.builder(MetricNames.SHADOW_RATING_DELTA)
            .description("|candidate - live| rating of samples both rated")
            .tags(labels.tags())
            .serviceLevelObjectives(DELTA_BUCKETS)
            .register(registry);
    DistributionSummary liveValue = ratingValue(labels, LIVE);
    DistributionSummary candidateValue = ratingValue(labels, CANDIDATE);
    Counter queueFull =
        Counter.builder(MetricNames.SHADOW_SKIPPED)
            .description("Sampled requests the tenant's shadow did not evaluate")
            .tags(labels.tags().and(MetricNames.TAG_REASON, QUEUE_FULL))
            .register(registry);
    all.addAll(List.of(delta, liveValue, candidateValue, queueFull));
    return new Meters(comparisons, delta, liveValue, candidateValue, queueFull, all);
  }

  private DistributionSummary ratingValue(Labels labels, String version) {
    return DistributionSummary.builder(MetricNames.SHADOW_RATING_VALUE)
        .description("Ratings of samples both rated, by version")
        .tags(labels.tags().and(MetricNames.TAG_VERSION, version))
        .serviceLevelObjectives(RaterMetrics.ratingBuckets())
        .register(registry);
  }
}
