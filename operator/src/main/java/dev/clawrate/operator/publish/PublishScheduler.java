package dev.clawrate.operator.publish;

import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.render.Inputs;
import dev.clawrate.operator.render.ModulePresence;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.SnapshotRenderer;
import dev.clawrate.operator.tenancy.ClaimStore;
import dev.clawrate.operator.tenancy.Claims;
import dev.clawrate.operator.world.WorldCache;
import dev.clawrate.rater.snapshot.SnapshotCodec;
import dev.clawrate.rater.snapshot.SnapshotDocument;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when to publish and publishes: every change to a RatingModel or TenantConfig asks for a
 * publish; requests within a quiet period coalesce (applying 100 resources at once gives a handful
 * of writes, not 100), bounded by a maximum delay so a steady stream of changes still publishes. A
 * publish renders the stable snapshot from the cache, records the names it claims, and writes it to
 * every region; a region that fails is retried with backoff and never holds up another. Only the
 * leader publishes. What the operator wrote and someone changed, and raters holding a revision
 * above the region's, ask for a publish too: that is how it repairs.
 */
public final class PublishScheduler implements RegionTarget.Events, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PublishScheduler.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final String TRACK = SnapshotCodec.TRACK_STABLE;

  private final WorldCache world;
  private final ClaimStore claimStore;
  private final List<RegionTarget> regions;
  private final BooleanSupplier isLeader;
  private final Duration quiet;
  private final Duration maxDelay;
  private final Duration gcGrace;
  // Module garbage collection reads the cache of every module; a tenth of the grace period is often
  // enough.
  private final Duration gcInterval;
  private final Clock clock;
  private final Map<String, Timer> publishTimers = new HashMap<>();
  private final List<PublishListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> ratersListeners = new CopyOnWriteArrayList<>();
  private final Map<String, Publication> publications = new ConcurrentHashMap<>();
  // What each region was last written, as rendered; what since-revisions compare against.
  private final Map<String, RenderedSnapshot> written = new ConcurrentHashMap<>();
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
  private final AtomicBoolean publishing = new AtomicBoolean();
  private final AtomicLong lastWritten = new AtomicLong(System.nanoTime());
  // Executor thread only.
  private volatile RenderedSnapshot lastRendered;
  private SnapshotDocument carriedFrom;
  private boolean seeded;
  private Duration backoff = Duration.ZERO;
  private long lastGcNanos;

  public PublishScheduler(
      WorldCache world,
      ClaimStore claimStore,
      List<RegionTarget> regions,
      BooleanSupplier isLeader,
      Duration quiet,
      Duration maxDelay,
      Duration gcGrace,
      Clock clock,
      MeterRegistry registry) {
    this.world = world;
    this.claimStore = claimStore;
    this.regions = List.copyOf(regions);
    this.isLeader = isLeader;
    this.quiet = quiet;
    this.maxDelay = maxDelay;
    this.gcGrace = gcGrace;
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
          .tags("region", region.name(), "track", TRACK)
          .register(registry);
      Gauge.builder("clawrate.operator.raters", region, r -> r.heartbeats().live(TRACK).size())
          .description("Live raters (heartbeat renewed within its duration)")
          .tags("region", region.name(), "track", TRACK)
          .register(registry);
    }
  }

  public void start() {
    regions.forEach(region -> region.start(this));
  }

  public void addListener(PublishListener listener) {
    listeners.add(listener);
  }

  /** Told whenever what raters report may have changed what they serve. */
  public void addRatersListener(Runnable listener) {
    ratersListeners.add(listener);
  }

  /** What each region carries, as of the last publish. */
  public Publication publication(String region) {
    return publications.get(region);
  }

  public List<RegionTarget> regions() {
    return regions;
  }

  /** Whether no publish is pending or running: lets callers wait for quiet. */
  public boolean idle() {
    return firstRequest.get() == 0 && !publishing.get();
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
        executor.execute(this::publish);
      } else {
        executor.schedule(this::maybePublish, quiet.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  @Override
  public void repairNeeded(RegionTarget region) {
    request();
  }

  @Override
  public void ratersChanged(RegionTarget region) {
    // A rater holding a revision above the region's own (the snapshot ConfigMap was replaced by
    // a lower one) refuses everything until a revision above it is written.
    if (region.heartbeats().highestRevision(TRACK) > publications.get(region.name()).revision()) {
      request();
    }
    ratersListeners.forEach(Runnable::run);
  }

  @Override
  public boolean moduleNeeded(RegionTarget region, String digest) {
    RenderedSnapshot inRegion = written.get(region.name());
    RenderedSnapshot rendered = lastRendered;
    Instant asked = region.modules().lastWanted(digest);
    return names(inRegion, digest)
        || names(rendered, digest)
        || statusDigests().contains(digest)
        || (asked != null && Duration.between(asked, clock.instant()).compareTo(gcGrace) < 0);
  }

  private static boolean names(RenderedSnapshot snapshot, String digest) {
    return snapshot != null
        && snapshot.document().models().values().stream()
            .anyMatch(model -> model.digest().equals(digest));
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
    publishing.set(true);
    firstRequest.set(0);
    try {
      publishNow();
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("error", Errors.describe(e))
          .setCause(e instanceof KubernetesClientException ? null : e)
          .log("publish failed; will retry");
      retryLater();
    } finally {
      publishing.set(false);
    }
  }

  private void publishNow() {
    if (!isLeader.getAsBoolean()) {
      // The leader callback asks again when this replica takes over.
      return;
    }
    if (!world.synced()
        || !claimStore.synced()
        || !regions.stream().allMatch(RegionTarget::synced)) {
      // Rendering a partial list would unpublish whatever is not loaded yet.
      executor.schedule(this::request, quiet.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    if (!seeded) {
      seed();
    }
    // One read of the cache: what is rendered and which generation it was rendered from agree.
    List<RatingModel> models = world.models();
    List<TenantConfig> tenants = world.tenants();
    Map<ResourceKey, Long> generations = generations(models, tenants);
    Claims claims = claimStore.current();
    RenderedSnapshot rendered = render(models, tenants, claims);
    if (claims.lacksAnyOf(rendered.claims())) {
      // Claimed before published: a name never goes out unclaimed, whatever fails next.
      Claims stored = claimStore.record(rendered.claims());
      if (!stored.equals(rendered.claims())) {
        // The platform admin moved a claim meanwhile: render again under it.
        rendered = render(models, tenants, stored);
      }
    }
    lastRendered = rendered;
    boolean failed = false;
    Set<ResourceKey> changed = new HashSet<>();
    for (RegionTarget region : regions) {
      Publication before = publications.get(region.name());
      Publication after;
      Timer.Sample sample = Timer.start();
      try {
        after = publishTo(region, rendered, generations, before);
        failed |= !after.excluded().equals(rendered.excluded());
      } catch (RuntimeException e) {
        failed = true;
        region.publisher().forget();
        LOG.atWarn()
            .addKeyValue("region", region.name())
            .addKeyValue("error", Errors.describe(e))
            .log("publish to region failed; will retry");
        after = before.failed(rendered.excluded(), Errors.describe(e));
      }
      sample.stop(publishTimers.get(region.name()));
      publications.put(region.name(), after);
      changed.addAll(differences(before, after));
    }
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

  /**
   * First publish of this process: learn which modules exist, and take the region's published
   * snapshot as the one tenants carry their previous entry over from.
   */
  private void seed() {
    for (RegionTarget region : regions) {
      region.modules().seed(region.owned().modules());
    }
    carriedFrom = regions.get(0).publisher().current(TRACK);
    seeded = true;
  }

  private RenderedSnapshot render(
      List<RatingModel> models, List<TenantConfig> tenants, Claims claims) {
    RenderedSnapshot previous = lastRendered;
    return SnapshotRenderer.render(
        TRACK,
        models.stream().map(Inputs::model).toList(),
        tenants.stream().map(Inputs::tenant).toList(),
        previous == null ? carriedFrom : previous.document(),
        claims);
  }

  /**
   * The generation each resource's snapshot entry comes from: a tenant's own, a model's status'
   * (its entry is the version that validated, recorded for that generation). Status compares it
   * with the generation it reports on, so a region still carrying an older form is never Ready.
   */
  private static Map<ResourceKey, Long> generations(
      List<RatingModel> models, List<TenantConfig> tenants) {
    Map<ResourceKey, Long> generations = new HashMap<>();
    for (RatingModel model : models) {
      Long observed = model.getStatus() == null ? null : model.getStatus().getObservedGeneration();
      generations.put(
          ResourceKey.model(model.getMetadata().getNamespace(), model.getMetadata().getName()),
          observed == null ? 0 : observed);
    }
    for (TenantConfig tenant : tenants) {
      Long generation = tenant.getMetadata().getGeneration();
      generations.put(
          ResourceKey.tenant(tenant.getMetadata().getNamespace(), tenant.getMetadata().getName()),
          generation == null ? 0 : generation);
    }
    return generations;
  }

  private Publication publishTo(
      RegionTarget region,
      RenderedSnapshot rendered,
      Map<ResourceKey, Long> generations,
      Publication before) {
    Set<String> digests = new HashSet<>();
    rendered.document().models().values().forEach(m -> digests.add(m.digest()));
    Set<String> missing = region.modules().missing(digests);
    RenderedSnapshot previous = written.get(region.name());
    RenderedSnapshot toWrite =
        ModulePresence.restrict(
            rendered, missing, previous == null ? carriedFrom : previous.document());
    for (String digest : missing) {
      region.modules().repair(digest, null, d -> moduleNeeded(region, d));
    }
    SnapshotPublisher.Result result = region.publisher().publish(toWrite.document());
    if (result.written()) {
      lastWritten.set(System.nanoTime());
    }
    Publication after =
        Publication.after(
            region.name(),
            result.revision(),
            toWrite,
            generations,
            before,
            previous,
            clock.instant());
    written.put(region.name(), toWrite);
    return after;
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
    Set<String> referenced = new HashSet<>(statusDigests());
    lastRendered.document().models().values().forEach(m -> referenced.add(m.digest()));
    written
        .values()
        .forEach(s -> s.document().models().values().forEach(m -> referenced.add(m.digest())));
    for (RegionTarget region : regions) {
      referenced.addAll(region.heartbeats().servedDigests());
    }
    for (RegionTarget region : regions) {
      try {
        region.garbageCollector().collect(referenced);
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("region", region.name())
            .addKeyValue("error", Errors.describe(e))
            .log("module garbage collection failed; will retry");
      }
    }
  }

  private Set<String> statusDigests() {
    Set<String> digests = new HashSet<>();
    for (RatingModel model : world.models()) {
      if (model.getStatus() != null && model.getStatus().getDigest() != null) {
        digests.add(model.getStatus().getDigest());
      }
    }
    return digests;
  }

  private static Set<ResourceKey> differences(Publication before, Publication after) {
    Set<ResourceKey> changed = new HashSet<>();
    Set<ResourceKey> keys = new HashSet<>(before.published().keySet());
    keys.addAll(after.published().keySet());
    keys.addAll(before.excluded().keySet());
    keys.addAll(after.excluded().keySet());
    for (ResourceKey key : keys) {
      if (!Objects.equals(before.published().get(key), after.published().get(key))
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
    regions.forEach(RegionTarget::close);
  }
}
