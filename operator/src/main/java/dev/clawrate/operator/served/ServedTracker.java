package dev.clawrate.operator.served;

import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.publish.PublishListener;
import dev.clawrate.operator.publish.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps, for every resource and region, how the raters serve it ({@link RegionServing}), and tells
 * the reconcilers which resources' figures changed, so status follows what raters report without a
 * write per heartbeat. Recomputed when a publish changes what a region carries or a heartbeat
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

  private final List<Region> regions;
  private final String track;
  private final List<PublishListener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "clawrate-served");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean queued = new AtomicBoolean();
  // Replaced whole on the executor thread; readers see one consistent computation.
  private volatile Map<ResourceKey, List<RegionServing>> serving = Map.of();

  public ServedTracker(List<Region> regions, String track) {
    this.regions = List.copyOf(regions);
    this.track = track;
  }

  public void addListener(PublishListener listener) {
    listeners.add(listener);
  }

  /** Asks for a recompute soon; cheap, call it on every relevant change. */
  public void refresh() {
    if (queued.compareAndSet(false, true)) {
      executor.schedule(this::recompute, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** How each region's raters serve the resource, in region order. */
  public List<RegionServing> of(ResourceKey key) {
    List<RegionServing> found = serving.get(key);
    return found == null ? unknown() : found;
  }

  private List<RegionServing> unknown() {
    List<RegionServing> none = new ArrayList<>();
    regions.forEach(r -> none.add(RegionServing.NONE));
    return none;
  }

  private void recompute() {
    queued.set(false);
    try {
      Map<ResourceKey, List<RegionServing>> next = compute();
      Map<ResourceKey, List<RegionServing>> before = serving;
      serving = next;
      Set<ResourceKey> changed = new HashSet<>(next.keySet());
      changed.addAll(before.keySet());
      changed.removeIf(key -> Objects.equals(before.get(key), next.get(key)));
      if (!changed.isEmpty()) {
        listeners.forEach(listener -> listener.changed(changed));
      }
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("computing what raters serve failed; retrying");
      refresh();
    }
  }

  private Map<ResourceKey, List<RegionServing>> compute() {
    List<Publication> publications = new ArrayList<>();
    List<List<Rater>> raters = new ArrayList<>();
    Set<ResourceKey> keys = new HashSet<>();
    for (Region region : regions) {
      Publication publication = region.publication().get();
      publications.add(publication);
      raters.add(region.raters().apply(track));
      keys.addAll(publication.published().keySet());
      keys.addAll(publication.excluded().keySet());
    }
    Map<ResourceKey, List<RegionServing>> next = new LinkedHashMap<>();
    // Raters of a region mostly share one state; memoise per (region, published entry).
    List<Map<Publication.Published, RegionServing>> memo = new ArrayList<>();
    regions.forEach(r -> memo.add(new HashMap<>()));
    for (ResourceKey key : keys) {
      List<RegionServing> perRegion = new ArrayList<>(regions.size());
      for (int i = 0; i < regions.size(); i++) {
        Publication.Published published = publications.get(i).published().get(key);
        List<Rater> regionRaters = raters.get(i);
        perRegion.add(
            published == null
                ? ServedState.of(null, regionRaters)
                : memo.get(i).computeIfAbsent(published, p -> ServedState.of(p, regionRaters)));
      }
      next.put(key, List.copyOf(perRegion));
    }
    return next;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
