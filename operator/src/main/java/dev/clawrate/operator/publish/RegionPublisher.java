package dev.clawrate.operator.publish;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.operator.Threads;
import dev.clawrate.operator.kube.Errors;
import dev.clawrate.operator.render.ModulePresence;
import dev.clawrate.operator.render.RegionSlice;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.served.RegionHealth;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the latest render to one region, on the region's own thread with its own retry: a slow
 * or unreachable region delays nothing but itself. Each attempt takes the newest render, so a
 * region that was away catches up in one write. It writes the modules the region's slice names
 * before the snapshot that names them, repairs what was changed behind its back, and collects the
 * modules nothing needs any more.
 */
public final class RegionPublisher implements RegionTarget.Events, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegionPublisher.class);
  private static final String TRACK = SnapshotCodec.TRACK_STABLE;

  /** How often a region whose watches have not listed yet is looked at again. */
  private static final Duration UNSYNCED_POLL = Duration.ofMillis(200);

  /**
   * How long the region's watch may be down before the region counts as unreachable with nothing to
   * write: a watch is re-opened now and then anyway, and that is no news.
   */
  private static final Duration WATCH_DOWN_GRACE = Duration.ofSeconds(10);

  private static final String WATCH_DOWN = "its watch is down";

  /** Told what the region's publications and raters change. */
  public interface Listener {
    void published(RegionPublisher region, Set<ResourceKey> changed);

    void ratersChanged(RegionPublisher region);
  }

  /**
   * What every region's publisher shares.
   *
   * @param rounds the latest render, or null before the first
   * @param syncGrace how long a region may take to list before it counts as unreachable
   */
  public record Shared(
      Supplier<RenderRound> rounds,
      ModuleLibrary library,
      BooleanSupplier isLeader,
      Duration gcGrace,
      Duration syncGrace,
      Clock clock,
      MeterRegistry registry) {}

  private final RegionTarget target;
  private final Shared shared;
  private final Listener listener;
  private final Duration gcInterval;
  private final ScheduledExecutorService executor;
  // Module writes of one publish, side by side; the region's thread waits for them.
  private final ExecutorService moduleWriters;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Set<String> modulesAsked = ConcurrentHashMap.newKeySet();
  private final List<Meter> meters = new ArrayList<>();
  private final Timer publishTimer;
  private final long startedNanos = System.nanoTime();
  private volatile Publication publication;
  // Region thread only.
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
  // Written on the region's thread, read by the watch's and the canary controller's too (is a
  // damaged module still needed? which version does a track hold?).
  private volatile RenderedSnapshot written;
  private volatile RenderedSnapshot writtenCanary;
  private SnapshotDocument carriedFrom;
  private SnapshotDocument carriedCanary;
  private boolean seeded;
  private long lastGcNanos;
  private long watchDownSince;

  public RegionPublisher(RegionTarget target, Shared shared, Listener listener) {
    this.target = target;
    this.shared = shared;
    this.listener = listener;
    this.publication = Publication.unknown(target.name());
    // Garbage collection reads the cache of every module; a tenth of the grace period is often
    // enough.
    this.gcInterval =
        min(Duration.ofMinutes(1), max(shared.gcGrace().dividedBy(10), Duration.ofSeconds(1)));
    this.executor = Threads.single("clawrate-region-" + target.name());
    this.moduleWriters = Threads.pool("clawrate-region-" + target.name() + "-modules", 4);
    String region = target.name();
    MeterRegistry registry = shared.registry();
    this.publishTimer =
        Timer.builder("clawrate.operator.publish")
            .description("Time to publish the snapshot to a region (modules, compare and write)")
            .tag("region", region)
            .register(registry);
    meters.add(publishTimer);
    meters.add(
        Gauge.builder("clawrate.operator.region.reachable", this, p -> p.reachable() ? 1 : 0)
            .description("1 when the last publish to the region succeeded")
            .tag("region", region)
            .register(registry));
    meters.add(
        Gauge.builder("clawrate.operator.snapshot.revision", this, p -> p.publication.revision())
            .description("Revision of the snapshot live in the region")
            .tags("region", region, "track", TRACK)
            .register(registry));
    meters.add(
        Gauge.builder("clawrate.operator.region.healthy", this, p -> p.health().healthy() ? 1 : 0)
            .description(
                "1 when the region's raters are live, on its current revision and refuse nothing")
            .tag("region", region)
            .register(registry));
    meters.add(
        Gauge.builder("clawrate.operator.raters", target, t -> t.heartbeats().live(TRACK).size())
            .description("Live raters (heartbeat renewed within its duration)")
            .tags("region", region, "track", TRACK)
            .register(registry));
  }

  public void start() {
    target.start(this);
    offer();
    long period = WATCH_DOWN_GRACE.toMillis() / 4;
    executor.scheduleWithFixedDelay(this::checkWatch, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * With nothing to write, a region that stopped answering would look reachable for ever: its watch
   * being down for a while says so. A watch up again after that asks for a publish, whose success
   * says the region answers again.
   */
  private void checkWatch() {
    if (!target.synced() || !shared.isLeader().getAsBoolean()) {
      return;
    }
    if (target.owned().watching()) {
      watchDownSince = 0;
      if (WATCH_DOWN.equals(publication.error())) {
        offer();
      }
      return;
    }
    long now = System.nanoTime();
    if (watchDownSince == 0) {
      watchDownSince = now;
    } else if (now - watchDownSince > WATCH_DOWN_GRACE.toNanos() && publication.error() == null) {
      LOG.atWarn()
          .addKeyValue("region", name())
          .log("the region's watch has been down a while; counting it unreachable");
      recordFailure(shared.rounds().get(), WATCH_DOWN, true);
    }
  }

  public String name() {
    return target.name();
  }

  public RegionTarget target() {
    return target;
  }

  /** What the region carries, as of its last publish. */
  public Publication publication() {
    return publication;
  }

  /** How the region is doing, from its publication and its raters' heartbeats. */
  public RegionHealth health() {
    return RegionHealth.of(publication, target.heartbeats().live(TRACK), shared.clock().instant());
  }

  /** Whether the last publish succeeded. */
  public boolean reachable() {
    return publication.error() == null;
  }

  /** Whether no publish is queued or running: lets callers wait for quiet. */
  public boolean idle() {
    return !queued.get() && !running.get();
  }

  /** A new render (or a reason to look again): publish the latest soon, once. */
  public void offer() {
    if (queued.compareAndSet(false, true)) {
      try {
        executor.execute(this::run);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false);
      }
    }
  }

  /**
   * A module just validated: write it to the region now, so its raters compile it while the
   * operator finishes, before any snapshot names it.
   */
  public void offerModule(String digest) {
    modulesAsked.add(digest);
    offer();
  }

  @Override
  public void repairNeeded(RegionTarget region) {
    offer();
  }

  @Override
  public void ratersChanged(RegionTarget region) {
    // A rater holding a revision above the region's own (the snapshot ConfigMap was replaced by
    // a lower one) refuses everything until a revision above it is written.
    if (region.heartbeats().highestRevision(TRACK) > publication.revision()
        || region.heartbeats().highestRevision(SnapshotCodec.TRACK_CANARY)
            > target.canaryPublisher().lastRevision()) {
      offer();
    }
    listener.ratersChanged(this);
  }

  /**
   * Runs on the watch's thread: the module is known gone, its last bytes are kept, and when it is
   * still needed the region's thread writes it again, with whatever else is missing, in one go.
   */
  @Override
  public void moduleDamaged(RegionTarget region, String digest, ConfigMap lastIntact) {
    byte[] bytes = lastIntact == null ? null : ModuleConfigMaps.intactBytes(lastIntact, digest);
    if (bytes != null) {
      shared.library().remember(digest, bytes);
    }
    region.modules().damaged(digest);
    if (moduleNeeded(digest)) {
      LOG.atInfo()
          .addKeyValue("region", name())
          .addKeyValue("digest", digest)
          .log("module ConfigMap deleted or edited by hand; writing it again");
      offerModule(digest);
    }
  }

  /** Whether a module is still needed in the region, so a lost one is written again. */
  private boolean moduleNeeded(String digest) {
    RenderRound round = shared.rounds().get();
    Instant asked = target.modules().lastWanted(digest);
    RenderedSnapshot last = written;
    RenderedSnapshot lastCanary = writtenCanary;
    return (last != null && last.digests().contains(digest))
        || (lastCanary != null && lastCanary.digests().contains(digest))
        || (round != null && (round.names(digest) || round.statusDigests().contains(digest)))
        || (asked != null
            && Duration.between(asked, shared.clock().instant()).compareTo(shared.gcGrace()) < 0);
  }

  private void run() {
    running.set(true);
    queued.set(false);
    try {
      publishLatest();
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue("region", name())
          .addKeyValue("error", Errors.describe(e))
          .log("publishing to the region failed unexpectedly; will retry");
      executor.schedule(this::offer, backoff.next().toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      running.set(false);
    }
  }

  private void publishLatest() {
    RenderRound round = shared.rounds().get();
    if (!shared.isLeader().getAsBoolean() || round == null) {
      // A new render, or this replica taking over, offers again.
      return;
    }
    if (!target.synced()) {
      if (!publication.known() && System.nanoTime() - startedNanos > shared.syncGrace().toNanos()) {
        recordFailure(round, "the region's API server has not answered yet", true);
      }
      executor.schedule(this::offer, UNSYNCED_POLL.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    Publication before = publication;
    Timer.Sample sample = Timer.start();
    try {
      if (!seeded) {
        seed();
      }
      writeAskedModules();
      record(publishTo(round, slice(round), before));
      if (backoff.failing()) {
        LOG.atInfo().addKeyValue("region", name()).log("publishing to the region works again");
      }
      backoff.reset();
      collectGarbage(round);
    } catch (RuntimeException e) {
      target.publisher().forget();
      target.canaryPublisher().forget();
      Duration retry = backoff.next();
      boolean unreachable = Errors.unreachable(e);
      if (before.error() == null) {
        LOG.atWarn()
            .addKeyValue("region", name())
            .addKeyValue("error", Errors.describe(e))
            .addKeyValue("retryMillis", retry.toMillis())
            .log("publishing to the region failed; its raters keep their last snapshot");
      }
      recordFailure(round, Errors.describe(e), unreachable);
      executor.schedule(this::offer, retry.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      sample.stop(publishTimer);
    }
  }

  /** The region's part of the render, next to what it holds now. */
  private RegionSlice slice(RenderRound round) {
    return RegionSlice.of(round.snapshot(), name(), holds());
  }

  /** The snapshot the region holds: as last written, or as found before the first write. */
  private SnapshotDocument holds() {
    RenderedSnapshot last = written;
    return last == null ? carriedFrom : last.document();
  }

  private SnapshotDocument holdsCanary() {
    RenderedSnapshot last = writtenCanary;
    return last == null ? carriedCanary : last.document();
  }

  /**
   * What a track of the region holds, as last written, with the revision written and the track's
   * live raters: what a canary release waits on before a step counts.
   *
   * @param written null before the first write of this process, and after a failure
   * @param revision -1 when what the region holds is not known
   */
  public record TrackView(
      RenderedSnapshot written, long revision, List<dev.clawrate.operator.served.Rater> raters) {}

  public TrackView view(String track) {
    boolean canary = SnapshotCodec.TRACK_CANARY.equals(track);
    SnapshotPublisher publisher = canary ? target.canaryPublisher() : target.publisher();
    return new TrackView(
        canary ? writtenCanary : written,
        publisher.lastRevision(),
        target.heartbeats().live(track));
  }

  /**
   * The region holds what it held, and a publish failed (or cannot be tried); what status says of
   * its resources follows the latest render's slice, if any.
   */
  private void recordFailure(RenderRound round, String why, boolean unreachable) {
    RegionSlice slice = round == null ? null : slice(round);
    record(
        publication.failed(
            slice == null ? Map.of() : slice.snapshot().excluded(),
            slice == null ? Set.of() : slice.elsewhere(),
            why,
            unreachable));
  }

  /**
   * First publish to the region: learn which modules exist, and take its published snapshot as what
   * a missing module's model falls back to.
   */
  private void seed() {
    target.modules().seed(target.owned().modules());
    carriedFrom = target.publisher().current(TRACK);
    carriedCanary = target.canaryPublisher().current(SnapshotCodec.TRACK_CANARY);
    seeded = true;
  }

  private void writeAskedModules() {
    List<String> asked = List.copyOf(modulesAsked);
    modulesAsked.removeAll(asked);
    try {
      writeModules(target.modules().missing(asked));
    } catch (RuntimeException e) {
      modulesAsked.addAll(asked);
      throw e;
    }
  }

  /**
   * Writes modules the region lacks, several at once: a rebuilt region lacks all of them, and one
   * at a time its round trips add up. A module whose bytes nothing holds is fetched again from its
   * source, and written when that is done.
   */
  private void writeModules(Collection<String> digests) {
    List<Future<?>> writes = new ArrayList<>();
    for (String digest : digests) {
      byte[] bytes = shared.library().bytes(digest);
      if (bytes == null) {
        shared.library().lost(digest);
      } else {
        writes.add(moduleWriters.submit(() -> target.modules().ensure(digest, bytes)));
      }
    }
    RuntimeException failure = null;
    for (Future<?> write : writes) {
      try {
        write.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new IllegalStateException("writing a module failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing modules", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private Publication publishTo(RenderRound round, RegionSlice slice, Publication before) {
    if (target.publisher().lastRevision() < 0 || target.canaryPublisher().lastRevision() < 0) {
      // What the region holds is not known (first publish, a failure, a hand edit): its modules
      // are checked before a snapshot names them, or a rebuilt region would get a snapshot whose
      // modules its raters cannot find.
      target.modules().verify();
    }
    RenderedSnapshot previous = written;
    PublishedSlice result = writeSlice(slice.snapshot(), target.publisher(), holds());
    written = result.written();
    // Stable first: a canary never runs ahead of what its stable track can fall back to.
    RenderedSnapshot canary = RegionSlice.of(round.canary(), name(), holdsCanary()).snapshot();
    writtenCanary = writeSlice(canary, target.canaryPublisher(), holdsCanary()).written();
    Publication after =
        Publication.after(
            name(),
            result.outcome().revision(),
            result.written(),
            slice.elsewhere(),
            round.generations(),
            before,
            previous,
            shared.clock().instant());
    return after;
  }

  /** What a slice became once restricted to the modules present, and what writing it did. */
  private record PublishedSlice(RenderedSnapshot written, SnapshotPublisher.Result outcome) {}

  /**
   * Writes the modules the slice names that the region lacks, then the track's snapshot. When the
   * region no longer held what this publisher last wrote (stale), what else it holds is checked and
   * the write tried once more.
   */
  private PublishedSlice writeSlice(
      RenderedSnapshot sliced, SnapshotPublisher publisher, SnapshotDocument holds) {
    PublishedSlice result = writeSliceOnce(sliced, publisher, holds);
    if (!result.outcome().stale()) {
      return result;
    }
    target.modules().verify();
    return writeSliceOnce(sliced, publisher, holds);
  }

  private PublishedSlice writeSliceOnce(
      RenderedSnapshot sliced, SnapshotPublisher publisher, SnapshotDocument holds) {
    Set<String> digests = sliced.digests();
    // A module nothing holds is published without meanwhile (its model keeps its previous entry
    // or waits).
    writeModules(target.modules().missing(digests));
    RenderedSnapshot toWrite =
        ModulePresence.restrict(sliced, target.modules().missing(digests), holds);
    return new PublishedSlice(toWrite, publisher.publish(toWrite.document()));
  }

  private void record(Publication after) {
    Publication before = publication;
    publication = after;
    Set<ResourceKey> changed = differences(before, after);
    if (!changed.isEmpty() || before.known() != after.known()) {
      listener.published(this, changed);
    }
  }

  private void collectGarbage(RenderRound round) {
    long now = System.nanoTime();
    if (lastGcNanos != 0 && now - lastGcNanos < gcInterval.toNanos()) {
      return;
    }
    lastGcNanos = now;
    Set<String> referenced = new HashSet<>(round.statusDigests());
    referenced.addAll(round.snapshot().digests());
    referenced.addAll(round.canary().digests());
    for (RenderedSnapshot last : new RenderedSnapshot[] {written, writtenCanary}) {
      if (last != null) {
        referenced.addAll(last.digests());
      }
    }
    referenced.addAll(target.heartbeats().servedDigests());
    try {
      target.garbageCollector().collect(referenced);
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("region", name())
          .addKeyValue("error", Errors.describe(e))
          .log("module garbage collection failed; will retry");
    }
  }

  static Set<ResourceKey> differences(Publication before, Publication after) {
    Set<ResourceKey> changed = new HashSet<>();
    Set<ResourceKey> keys = new HashSet<>(before.published().keySet());
    keys.addAll(after.published().keySet());
    keys.addAll(before.excluded().keySet());
    keys.addAll(after.excluded().keySet());
    keys.addAll(before.elsewhere());
    keys.addAll(after.elsewhere());
    for (ResourceKey key : keys) {
      if (!Objects.equals(before.published().get(key), after.published().get(key))
          || !Objects.equals(before.excluded().get(key), after.excluded().get(key))
          || before.elsewhere().contains(key) != after.elsewhere().contains(key)) {
        changed.add(key);
      }
    }
    if (!Objects.equals(before.error(), after.error())
        || before.unreachable() != after.unreachable()) {
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

  /** Stops publishing and watching, and forgets the region's meters. */
  @Override
  public void close() {
    executor.shutdownNow();
    moduleWriters.shutdownNow();
    target.close();
    meters.forEach(shared.registry()::remove);
  }
}
