package dev.clawrate.operator.publish;

import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.rater.snapshot.SnapshotCodec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when to publish and publishes: every change to a RatingModel or TenantConfig asks for a
 * publish; requests within a quiet period coalesce (applying 100 resources at once gives a handful
 * of writes, not 100), bounded by a maximum delay so a steady stream of changes still publishes. A
 * publish renders the stable snapshot from the cache and writes it to every region; a region that
 * fails is retried with backoff and never holds up another. Only the leader publishes.
 */
public final class PublishScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PublishScheduler.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final WorldCache world;
  private final List<RegionTarget> regions;
  private final BooleanSupplier isLeader;
  private final Duration quiet;
  private final Duration maxDelay;
  // Listing module ConfigMaps reads every module; a tenth of the grace period is often enough.
  private final Duration gcInterval;
  private final Clock clock;
  private final Map<String, Timer> publishTimers = new HashMap<>();
  private final List<PublishListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Publication> publications = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "clawrate-publisher");
            thread.setDaemon(true);
            return thread;
          });
  // Coalescing state, in nanoTime; 0 means no publish is pending.
  private final AtomicLong firstRequest = new AtomicLong();
  private final AtomicLong lastRequest = new AtomicLong();
  private final AtomicLong publishes = new AtomicLong();
  private final AtomicLong lastWritten = new AtomicLong(System.nanoTime());
  // Executor thread only.
  private RenderedSnapshot lastRendered;
  private Duration backoff = Duration.ZERO;
  private long lastGcNanos;

  public PublishScheduler(
      WorldCache world,
      List<RegionTarget> regions,
      BooleanSupplier isLeader,
      Duration quiet,
      Duration maxDelay,
      Duration gcGrace,
      Clock clock,
      MeterRegistry registry) {
    this.world = world;
    this.regions = List.copyOf(regions);
    this.isLeader = isLeader;
    this.quiet = quiet;
    this.maxDelay = maxDelay;
    this.gcInterval = min(Duration.ofMinutes(1), max(gcGrace.dividedBy(10), Duration.ofSeconds(1)));
    this.clock = clock;
    for (RegionTarget region : regions) {
      publications.put(region.name(), Publication.unknown(region.name()));
      publishTimers.put(
          region.name(),
          Timer.builder("clawrate.operator.publish")
              .description("Time to publish the snapshot to a region (compare and write)")
              .tag("region", region.name())
              .register(registry));
      Gauge.builder(
              "clawrate.operator.region.reachable",
              publications,
              p -> p.get(region.name()).error() == null ? 1 : 0)
          .description("1 when the last publish to the region succeeded")
          .tag("region", region.name())
          .register(registry);
      Gauge.builder(
              "clawrate.operator.snapshot.revision",
              publications,
              p -> p.get(region.name()).revision())
          .description("Revision of the snapshot live in the region")
          .tags("region", region.name(), "track", SnapshotCodec.TRACK_STABLE)
          .register(registry);
    }
  }

  public void addListener(PublishListener listener) {
    listeners.add(listener);
  }

  /** Whether every region's publication is known: false until this operator's first publish. */
  public boolean publicationsKnown() {
    return publications.values().stream().allMatch(Publication::known);
  }

  /** What each region serves, as of the last publish. */
  public Publication publication(String region) {
    return publications.get(region);
  }

  public List<String> regionNames() {
    return regions.stream().map(RegionTarget::name).toList();
  }

  /** How many publishes have run (written or not): lets callers wait for quiescence. */
  public long publishCount() {
    return publishes.get();
  }

  /**
   * Asks for a publish. A change after a quiet spell is published at once; changes that follow
   * within the quiet period are gathered into the next one. Cheap; call it on every change.
   */
  public void request() {
    long now = System.nanoTime();
    lastRequest.set(now);
    if (firstRequest.compareAndSet(0, now)) {
      // Idle means no snapshot written lately; publishes that found nothing to write (after
      // status updates, say) do not count, or they would delay every real change.
      boolean idle = now - lastWritten.get() > quiet.toNanos();
      if (idle) {
        executor.execute(() -> publish());
      } else {
        executor.schedule(this::maybePublish, quiet.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  private void maybePublish() {
    long now = System.nanoTime();
    long first = firstRequest.get();
    long sinceLast = now - lastRequest.get();
    if (sinceLast < quiet.toNanos() && now - first < maxDelay.toNanos()) {
      executor.schedule(this::maybePublish, quiet.toNanos() - sinceLast, TimeUnit.NANOSECONDS);
      return;
    }
    publish();
  }

  private void publish() {
    firstRequest.set(0);
    try {
      publishNow();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("publish failed unexpectedly");
      retryLater();
    }
  }

  private void publishNow() {
    if (!isLeader.getAsBoolean()) {
      // The leader callback asks again when this replica takes over.
      return;
    }
    if (!world.synced()) {
      // Rendering a partial list would unpublish whatever is not loaded yet.
      executor.schedule(this::request, quiet.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    RenderedSnapshot rendered =
        SnapshotRenderer.render(
            SnapshotCodec.TRACK_STABLE,
            world.models().stream().map(Inputs::model).toList(),
            world.tenants().stream().map(Inputs::tenant).toList(),
            lastRendered);
    lastRendered = rendered;
    boolean failed = false;
    Set<ResourceKey> changed = new HashSet<>();
    for (RegionTarget region : regions) {
      Publication before = publications.get(region.name());
      Publication after;
      Timer.Sample sample = Timer.start();
      try {
        SnapshotPublisher.Result result = region.publisher().publish(rendered.document());
        if (result.written()) {
          lastWritten.set(System.nanoTime());
        }
        after =
            new Publication(
                region.name(),
                result.revision(),
                rendered.served(),
                rendered.excluded(),
                clock.instant(),
                null);
      } catch (RuntimeException e) {
        failed = true;
        region.publisher().forget();
        LOG.atWarn()
            .addKeyValue("region", region.name())
            .addKeyValue("error", e.getMessage())
            .log("publish to region failed; will retry");
        after =
            new Publication(
                region.name(),
                before.revision(),
                before.served(),
                rendered.excluded(),
                before.at(),
                e.getMessage());
      }
      sample.stop(publishTimers.get(region.name()));
      publications.put(region.name(), after);
      changed.addAll(differences(before, after));
    }
    publishes.incrementAndGet();
    if (failed) {
      retryLater();
    } else {
      backoff = Duration.ZERO;
      collectGarbage();
    }
    if (!changed.isEmpty()) {
      listeners.forEach(listener -> listener.changed(changed));
    }
  }

  private void retryLater() {
    backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
    executor.schedule(this::request, backoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void collectGarbage() {
    long now = System.nanoTime();
    if (lastGcNanos != 0 && now - lastGcNanos < gcInterval.toNanos()) {
      return;
    }
    lastGcNanos = now;
    Set<String> referenced = new HashSet<>();
    lastRendered.document().models().values().forEach(m -> referenced.add(m.digest()));
    for (RatingModel model : world.models()) {
      if (model.getStatus() != null && model.getStatus().getDigest() != null) {
        referenced.add(model.getStatus().getDigest());
      }
    }
    for (RegionTarget region : regions) {
      try {
        region.garbageCollector().collect(referenced);
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("region", region.name())
            .addKeyValue("error", e.getMessage())
            .log("module garbage collection failed; will retry");
      }
    }
  }

  private static Set<ResourceKey> differences(Publication before, Publication after) {
    Set<ResourceKey> changed = new HashSet<>();
    Set<ResourceKey> keys = new HashSet<>(before.served().keySet());
    keys.addAll(after.served().keySet());
    keys.addAll(before.excluded().keySet());
    keys.addAll(after.excluded().keySet());
    for (ResourceKey key : keys) {
      if (!Objects.equals(before.served().get(key), after.served().get(key))
          || !Objects.equals(before.excluded().get(key), after.excluded().get(key))) {
        changed.add(key);
      }
    }
    if (!Objects.equals(before.error(), after.error())) {
      changed.addAll(keys);
    }
    return changed;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
