package dev.clawrate.operator.publish;

import dev.clawrate.operator.region.RegionNames;
import dev.clawrate.operator.render.ResourceKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regions published to, as they come and go: the hub's own cluster, and each member cluster the
 * region registry connects. Each has its own {@link RegionPublisher}; this set hands them the
 * latest render and tells listeners what their publications and raters change.
 */
public final class RegionPublishers implements RegionPublisher.Listener, AutoCloseable {

  /** The hub's own cluster, unless disabled. */
  public static final String HUB = RegionNames.LOCAL;

  private static final Logger LOG = LoggerFactory.getLogger(RegionPublishers.class);

  /** The hub first, then by name: the order regions are listed in status. */
  private static final Comparator<String> ORDER =
      Comparator.comparing((String name) -> !name.equals(HUB))
          .thenComparing(Comparator.naturalOrder());

  private final RegionPublisher.Shared shared;
  private final Map<String, Region> regions = new ConcurrentSkipListMap<>(ORDER);
  private final List<PublishListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> ratersListeners = new CopyOnWriteArrayList<>();

  /** A region, and the client that reaches it when this set owns it. */
  private record Region(RegionPublisher publisher, KubernetesClient ownedClient) {}

  public RegionPublishers(RegionPublisher.Shared shared) {
    this.shared = shared;
  }

  /** Told which resources' publications changed in any region, or that regions came or went. */
  public void addListener(PublishListener listener) {
    listeners.add(listener);
  }

  /** Told whenever what raters report may have changed what they serve. */
  public void addRatersListener(Runnable listener) {
    ratersListeners.add(listener);
  }

  /**
   * Starts publishing to a region, in place of any of that name.
   *
   * @param ownsClient whether the client is closed with the region
   */
  public void connect(String name, KubernetesClient client, String namespace, boolean ownsClient) {
    RegionTarget target =
        new RegionTarget(
            name, client, namespace, shared.gcGrace(), shared.clock(), shared.isLeader());
    RegionPublisher publisher = new RegionPublisher(target, shared, this);
    Region previous = regions.put(name, new Region(publisher, ownsClient ? client : null));
    if (previous != null) {
      close(previous);
    }
    publisher.start();
    LOG.atInfo()
        .addKeyValue("region", name)
        .addKeyValue("namespace", namespace)
        .log(previous == null ? "region added" : "region reconnected");
    changed(Set.of());
  }

  /** Stops publishing to a region and forgets it; what it holds stays as it is. */
  public void disconnect(String name) {
    Region removed = regions.remove(name);
    if (removed != null) {
      close(removed);
      LOG.atInfo().addKeyValue("region", name).log("region removed; no longer written to");
      changed(Set.of());
    }
  }

  /** The regions now published to, the hub first. */
  public List<RegionPublisher> all() {
    return regions.values().stream().map(Region::publisher).toList();
  }

  /** The hub region's publisher, or null when the hub does not serve. */
  public RegionPublisher hub() {
    Region hub = regions.get(HUB);
    return hub == null ? null : hub.publisher();
  }

  /** The region's publisher, or null. */
  public RegionPublisher get(String name) {
    Region region = regions.get(name);
    return region == null ? null : region.publisher();
  }

  /** Hands every region the latest render. */
  public void offerAll() {
    all().forEach(RegionPublisher::offer);
  }

  /** Writes a module that just validated to every region ahead of the snapshot that names it. */
  public void offerModule(String digest) {
    all().forEach(region -> region.offerModule(digest));
  }

  public boolean idle() {
    return all().stream().allMatch(RegionPublisher::idle);
  }

  @Override
  public void published(RegionPublisher region, Set<ResourceKey> changed) {
    if (regions.get(region.name()) != null && regions.get(region.name()).publisher() == region) {
      changed(changed);
    }
  }

  @Override
  public void ratersChanged(RegionPublisher region) {
    ratersListeners.forEach(Runnable::run);
  }

  private void changed(Set<ResourceKey> keys) {
    listeners.forEach(listener -> listener.changed(keys));
  }

  private static void close(Region region) {
    region.publisher().close();
    if (region.ownedClient() != null) {
      region.ownedClient().close();
    }
  }

  @Override
  public void close() {
    regions.values().forEach(RegionPublishers::close);
    regions.clear();
  }
}
