package dev.clawrate.operator.served;

import dev.clawrate.operator.Threads;
import dev.clawrate.operator.api.RegionStatus;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.publish.PublishListener;
import dev.clawrate.operator.render.Exclusion;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.status.RegionStatuses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What status is made of, for every resource and region: what the region's snapshot carries and how
 * its raters serve it ({@link RegionServing}). It tells the reconcilers which resources' inputs
 * changed, so status follows what raters report without a write per heartbeat, and hands them the
 * two from one computation. Recomputed when a publish changes what a region carries or a heartbeat
 * changes what a rater serves; bursts (every rater of a region reloading at once) coalesce.
 */
public final class ServedTracker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServedTracker.class);

  /** Raters of a region reload within milliseconds of each other: one recompute for all. */
  private static final long COALESCE_MILLIS = 20;

  /**
   * One region as the tracker sees it.
   *
   * @param raters the live raters of a track
   */
  public record Region(
      String name, Supplier<Publication> publication, Function<String, List<Rater>> raters) {}

  private final Supplier<List<Region>> regions;
  private final String track;
  private final List<PublishListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor = Threads.single("clawrate-served");
  private final AtomicBoolean queued = new AtomicBoolean();
  private final AtomicBoolean computing = new AtomicBoolean();
  // Replaced whole on the executor thread: a reader sees the publications and the rater figures
  // of one computation together, never a publication newer than the figures.
  private volatile Computed computed;

  /** One computation: what each region carries, and how its raters serve each resource. */
  private record Computed(
      List<Publication> publications, Map<ResourceKey, List<RegionView>> views) {}

  /** What status is made of for one resource in one region; a change of any part is news. */
  private record RegionView(
      String region,
      Publication.Published published,
      Exclusion excluded,
      boolean elsewhere,
      boolean failing,
      boolean unreachable,
      RegionServing serving) {}

  /**
   * @param regions the regions now published to; they come and go
   */
  public ServedTracker(Supplier<List<Region>> regions, String track) {
    this.regions = regions;
    this.track = track;
  }

  /**
   * Told which resources' status inputs changed: what their regions carry or their raters serve.
   */
  public void addListener(PublishListener listener) {
    listeners.add(listener);
  }

  /** Asks for a recompute soon; cheap, call it on every relevant change. */
  public void refresh() {
    if (queued.compareAndSet(false, true)) {
      executor.schedule(this::recompute, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Whether what every region carries is known and the raters' figures were computed from it: until
   * then a status would be a guess (a just-started operator writes none).
   */
  public boolean ready() {
    Computed current = computed;
    return current != null && current.publications().stream().allMatch(Publication::known);
  }

  /**
   * The resource's regions, from one computation; call only once {@link #ready()}.
   *
   * @param generation the generation status is written for
   * @param named the regions the resource names, or null for all
   * @param previous the regions of the status written before, or null
   */
  public RegionStatuses.Summary summary(
      ResourceKey key, long generation, List<String> named, List<RegionStatus> previous) {
    Computed current = computed;
    List<RegionView> views = current.views().get(key);
    List<RegionServing> servings = new ArrayList<>();
    for (int i = 0; i < current.publications().size(); i++) {
      servings.add(views == null ? RegionServing.NONE : views.get(i).serving());
    }
    return RegionStatuses.of(key, generation, current.publications(), servings, named, previous);
  }

  /** Whether no recompute is pending or running: lets callers wait for quiet. */
  public boolean idle() {
    return !queued.get() && !computing.get();
  }

  private void recompute() {
    computing.set(true);
    queued.set(false);
    try {
      Computed before = computed;
      Computed next = compute();
      computed = next;
      Set<ResourceKey> changed = new HashSet<>(next.views().keySet());
      Map<ResourceKey, List<RegionView>> old = before == null ? Map.of() : before.views();
      changed.addAll(old.keySet());
      changed.removeIf(key -> Objects.equals(old.get(key), next.views().get(key)));
      if (!changed.isEmpty()) {
        listeners.forEach(listener -> listener.changed(changed));
      }
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("computing what raters serve failed; retrying");
      refresh();
    } finally {
      computing.set(false);
    }
  }

  private Computed compute() {
    List<Publication> publications = new ArrayList<>();
    List<List<Rater>> raters = new ArrayList<>();
    Set<ResourceKey> keys = new HashSet<>();
    List<Region> regions = this.regions.get();
    for (Region region : regions) {
      Publication publication = region.publication().get();
      publications.add(publication);
      raters.add(region.raters().apply(track));
      keys.addAll(publication.published().keySet());
      keys.addAll(publication.excluded().keySet());
      keys.addAll(publication.elsewhere());
    }
    Map<ResourceKey, List<RegionView>> views = new LinkedHashMap<>();
    // Raters of a region mostly share one state; memoise per (region, published entry).
    List<Map<Publication.Published, RegionServing>> memo = new ArrayList<>();
    regions.forEach(r -> memo.add(new HashMap<>()));
    for (ResourceKey key : keys) {
      List<RegionView> perRegion = new ArrayList<>(regions.size());
      for (int i = 0; i < regions.size(); i++) {
        Publication publication = publications.get(i);
        Publication.Published published = publication.published().get(key);
        List<Rater> regionRaters = raters.get(i);
        RegionServing serving =
            published == null
                ? ServedState.of(null, regionRaters)
                : memo.get(i).computeIfAbsent(published, p -> ServedState.of(p, regionRaters));
        perRegion.add(
            new RegionView(
                publication.region(),
                published,
                publication.excluded().get(key),
                publication.elsewhere().contains(key),
                publication.error() != null,
                publication.unreachable(),
                serving));
      }
      views.put(key, List.copyOf(perRegion));
    }
    return new Computed(List.copyOf(publications), views);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
