package dev.clawrate.rater.metrics;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.Decision;
import dev.clawrate.rater.rating.FallbackAnswer;
import dev.clawrate.rater.rating.FallbackReason;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The meters labelled with a tenant (requests, ratings, decisions, fallbacks). They are registered
 * on a tenant's first request and removed from the registry when a snapshot without the tenant, or
 * with the tenant on another model, goes live: a departed tenant leaves no series behind. Meters
 * are cached per label set, so the request path pays a map lookup, not a registry lookup.
 */
final class TenantMeters {

  /** The labels every series of a tenant carries. */
  private record Series(String tenant, String model, String track) {
    static Series of(TenantRoute route) {
      return new Series(route.tenant(), route.model(), route.track());
    }

    Tags tags() {
      return Tags.of(
          MetricNames.TAG_TENANT,
          tenant,
          MetricNames.TAG_MODEL,
          model,
          MetricNames.TAG_TRACK,
          track);
    }
  }

  private record RequestKey(Series series, Outcome outcome) {}

  private record DecisionKey(Series series, Decision decision) {}

  private record FallbackKey(
      Series series, FallbackReason reason, FallbackAnswer.AnsweredBy answeredBy) {}

  private final MeterRegistry registry;
  private final Duration[] latencyBuckets;
  private final double[] ratingBuckets;
  private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
  private final Map<Series, DistributionSummary> ratings = new ConcurrentHashMap<>();
  private final Map<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
  private final Map<FallbackKey, Counter> fallbacks = new ConcurrentHashMap<>();
  // Guarded by this. The series of the last snapshot that went live.
  private Set<Series> live = Set.of();
  // The series the last swap removed. A request still in flight on such a route records nothing,
  // or it would register the series again and nothing would ever remove it. Only the last swap's:
  // a request does not outlive two.
  private volatile Set<Series> departed = Set.of();

  TenantMeters(MeterRegistry registry, Duration[] latencyBuckets, double[] ratingBuckets) {
    this.registry = registry;
    this.latencyBuckets = latencyBuckets;
    this.ratingBuckets = ratingBuckets;
  }

  void request(TenantRoute route, Outcome outcome, long nanos) {
    record(new RequestKey(Series.of(route), outcome), nanos);
  }

  /** A request that named no known tenant: one series per track and outcome, never removed. */
  void unroutedRequest(String track, Outcome outcome, long nanos) {
    record(new RequestKey(new Series(MetricNames.UNKNOWN_TENANT, "", track), outcome), nanos);
  }

  void rating(TenantRoute route, double value, Decision decision) {
    Series series = Series.of(route);
    DistributionSummary summary = meter(ratings, series, series, this::ratingSummary);
    if (summary != null) {
      summary.record(value);
    }
    Counter counter =
        meter(decisions, new DecisionKey(series, decision), series, this::decisionCounter);
    if (counter != null) {
      counter.increment();
    }
  }

  void fallback(FallbackAnswer answer) {
    Series series = Series.of(answer.route());
    Counter counter =
        meter(
            fallbacks,
            new FallbackKey(series, answer.reason(), answer.answeredBy()),
            series,
            this::fallbackCounter);
    if (counter != null) {
      counter.increment();
    }
  }

  /** Removes the series of every tenant the snapshot no longer has on the same model. */
  synchronized void follow(LoadedSnapshot snapshot) {
    Set<Series> next = new HashSet<>();
    snapshot.tenants().values().forEach(route -> next.add(Series.of(route)));
    Set<Series> gone = new HashSet<>(live);
    gone.removeAll(next);
    live = next;
    departed = Set.copyOf(gone);
    removeAll(requests, gone, RequestKey::series);
    removeAll(ratings, gone, Function.identity());
    removeAll(decisions, gone, DecisionKey::series);
    removeAll(fallbacks, gone, FallbackKey::series);
  }

  private void record(RequestKey key, long nanos) {
    Timer timer = meter(requests, key, key.series(), this::requestTimer);
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The cached meter, registered first if needed; null for a tenant that just departed. */
  private <K, M extends Meter> M meter(
      Map<K, M> meters, K key, Series series, Function<K, M> register) {
    M meter = meters.get(key);
    return meter != null ? meter : registered(meters, key, series, register);
  }

  // Synchronized with follow(): a series is never registered after the swap that removed it.
  private synchronized <K, M extends Meter> M registered(
      Map<K, M> meters, K key, Series series, Function<K, M> register) {
    return departed.contains(series) ? null : meters.computeIfAbsent(key, register);
  }

  private <K, M extends Meter> void removeAll(
      Map<K, M> meters, Set<Series> gone, Function<K, Series> seriesOf) {
    meters
        .entrySet()
        .removeIf(
            entry -> {
              boolean ended = gone.contains(seriesOf.apply(entry.getKey()));
              if (ended) {
                registry.remove(entry.getValue());
              }
              return ended;
            });
  }

  private Timer requestTimer(RequestKey key) {
    return Timer.builder(MetricNames.RATE_REQUESTS)
        .description("Rating requests by tenant, model, track and outcome (the API's error code)")
        .tags(key.series().tags().and(MetricNames.TAG_OUTCOME, key.outcome().label()))
        .serviceLevelObjectives(latencyBuckets)
        .register(registry);
  }

  private DistributionSummary ratingSummary(Series series) {
    return DistributionSummary.builder(MetricNames.RATING_VALUE)
        .description("Ratings returned by the tenant's own model")
        .tags(series.tags())
        .serviceLevelObjectives(ratingBuckets)
        .register(registry);
  }

  private Counter decisionCounter(DecisionKey key) {
    return Counter.builder(MetricNames.RATE_DECISIONS)
        .description("Decisions taken on the ratings of the tenant's own model")
        .tags(key.series().tags().and(MetricNames.TAG_DECISION, key.decision().label()))
        .register(registry);
  }

  private Counter fallbackCounter(FallbackKey key) {
    return Counter.builder(MetricNames.RATE_FALLBACKS)
        .description("Answers a tenant's fallback gave in place of its failed model")
        .tags(
            key.series()
                .tags()
                .and(MetricNames.TAG_REASON, key.reason().label())
                .and(MetricNames.TAG_ANSWER, key.answeredBy().label()))
        .register(registry);
  }
}
