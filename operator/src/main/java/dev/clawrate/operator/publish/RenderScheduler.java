package dev.clawrate.operator.publish;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.operator.Threads;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.kube.Errors;
import dev.clawrate.operator.render.Governed;
import dev.clawrate.operator.render.Inputs;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.SnapshotRenderer;
import dev.clawrate.operator.render.TrackSplit;
import dev.clawrate.operator.tenancy.ClaimStore;
import dev.clawrate.operator.tenancy.Claims;
import dev.clawrate.operator.world.WorldCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when to render and renders: every change to a RatingModel or TenantConfig asks for a
 * render; requests within a quiet period coalesce (applying 100 resources at once gives a handful
 * of renders, not 100), bounded by a maximum delay so a steady stream of changes still renders. A
 * render reads the cache once, records the names it claims, and hands the result to every region's
 * {@link RegionPublisher}, which writes its part on its own thread. Only the leader renders.
 */
public final class RenderScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RenderScheduler.class);
  private static final String TRACK = SnapshotCodec.TRACK_STABLE;

  private final WorldCache world;
  private final ClaimStore claimStore;
  private final RegionPublishers regions;
  private final Supplier<List<Governed>> governed;
  private final BooleanSupplier isLeader;
  private final Duration quiet;
  private final Duration maxDelay;
  private final ScheduledExecutorService executor = Threads.single("clawrate-render");
  // Coalescing state, in nanoTime; 0 means no render is pending.
  private final AtomicLong firstRequest = new AtomicLong();
  private final AtomicLong lastRequest = new AtomicLong();
  private final AtomicBoolean rendering = new AtomicBoolean();
  private final AtomicLong lastChange = new AtomicLong(System.nanoTime());
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
  private volatile RenderRound latest;
  // Render thread only.
  private SnapshotDocument carriedFrom;
  private boolean seeded;

  public RenderScheduler(
      WorldCache world,
      ClaimStore claimStore,
      RegionPublishers regions,
      Supplier<List<Governed>> governed,
      BooleanSupplier isLeader,
      Duration quiet,
      Duration maxDelay) {
    this.world = world;
    this.claimStore = claimStore;
    this.regions = regions;
    this.governed = governed;
    this.isLeader = isLeader;
    this.quiet = quiet;
    this.maxDelay = maxDelay;
  }

  /** The latest render, or null before the first. */
  public RenderRound latest() {
    return latest;
  }

  /** Whether no render is pending or running: lets callers wait for quiet. */
  public boolean idle() {
    return firstRequest.get() == 0 && !rendering.get();
  }

  /**
   * Asks for a render. A change after a quiet spell is rendered at once; changes that follow within
   * the quiet period are gathered into the next one. Cheap; call it on every change.
   */
  public void request() {
    long now = System.nanoTime();
    lastRequest.set(now);
    if (firstRequest.compareAndSet(0, now)) {
      // Idle means nothing changed lately; renders that changed nothing (after status updates,
      // say) do not count, or they would delay every real change.
      boolean idle = now - lastChange.get() > quiet.toNanos();
      if (idle) {
        executor.execute(this::render);
      } else {
        executor.schedule(this::maybeRender, quiet.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
  }

  private void maybeRender() {
    long now = System.nanoTime();
    long first = firstRequest.get();
    long sinceLast = now - lastRequest.get();
    if (sinceLast < quiet.toNanos() && now - first < maxDelay.toNanos()) {
      executor.schedule(this::maybeRender, quiet.toNanos() - sinceLast, TimeUnit.NANOSECONDS);
      return;
    }
    render();
  }

  private void render() {
    rendering.set(true);
    firstRequest.set(0);
    try {
      renderNow();
      backoff.reset();
    } catch (RuntimeException e) {
      Duration retry = backoff.next();
      LOG.atError()
          .addKeyValue("error", Errors.describe(e))
          .addKeyValue("retryMillis", retry.toMillis())
          .log("rendering the snapshot failed; will retry");
      executor.schedule(this::request, retry.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      rendering.set(false);
    }
  }

  private void renderNow() {
    if (!isLeader.getAsBoolean()) {
      // The leader callback asks again when this replica takes over.
      return;
    }
    if (!world.synced() || !claimStore.synced()) {
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
    RenderRound previous = latest;
    TrackSplit.Tracks tracks = TrackSplit.split(rendered, governed.get());
    RenderRound round =
        new RenderRound(
            rendered,
            tracks.stable(),
            tracks.canary(),
            generations(models, tenants),
            statusDigests(models));
    if (previous == null || !previous.equals(round)) {
      lastChange.set(System.nanoTime());
    }
    latest = round;
    regions.offerAll();
  }

  /**
   * First render of this process: tenants whose spec cannot be published carry over their entry
   * from the hub's published snapshot, when the hub serves.
   */
  private void seed() {
    RegionPublisher hub = regions.hub();
    carriedFrom = hub == null ? null : hub.target().publisher().current(TRACK);
    seeded = true;
  }

  private RenderedSnapshot render(
      List<RatingModel> models, List<TenantConfig> tenants, Claims claims) {
    RenderRound previous = latest;
    return SnapshotRenderer.render(
        TRACK,
        models.stream().map(Inputs::model).toList(),
        tenants.stream().map(Inputs::tenant).toList(),
        previous == null ? carriedFrom : previous.current().document(),
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

  private static Set<String> statusDigests(List<RatingModel> models) {
    Set<String> digests = new HashSet<>();
    for (RatingModel model : models) {
      if (model.getStatus() != null && model.getStatus().getDigest() != null) {
        digests.add(model.getStatus().getDigest());
      }
    }
    return digests;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
