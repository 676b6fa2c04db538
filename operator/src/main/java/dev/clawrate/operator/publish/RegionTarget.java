package dev.clawrate.operator.publish;

import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.operator.served.RaterHeartbeats;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * One region the operator publishes to: its rater namespace's snapshot writer, module ConfigMaps
 * and their garbage collector, the watch that repairs what was written there, and the raters'
 * heartbeats.
 */
public final class RegionTarget implements AutoCloseable {

  /** What a region reports to whoever publishes to it. */
  public interface Events {
    /** Something the operator wrote changed or went away without it: publish again. */
    void repairNeeded(RegionTarget region);

    /** A rater appeared, went away or reports something new. */
    void ratersChanged(RegionTarget region);

    /**
     * A module ConfigMap was deleted or changed without the operator.
     *
     * @param lastIntact its last state that held the module's bytes, or null
     */
    void moduleDamaged(RegionTarget region, String digest, ConfigMap lastIntact);
  }

  private final String name;
  private final SnapshotPublisher publisher;
  private final KubernetesClient client;
  private final String namespace;
  private final SnapshotPublisher canaryPublisher;
  private final ModuleConfigMaps modules;
  private final ModuleGarbageCollector garbageCollector;
  private final OwnedConfigMaps owned;
  private final RaterHeartbeats heartbeats;
  private volatile Events events;

  public RegionTarget(
      String name,
      KubernetesClient client,
      String namespace,
      Duration moduleGcGrace,
      Clock clock,
      BooleanSupplier isLeader) {
    this.name = name;
    this.heartbeats =
        new RaterHeartbeats(
            client, namespace, name, isLeader, System::nanoTime, () -> events.ratersChanged(this));
    this.client = client;
    this.namespace = namespace;
    this.publisher =
        new SnapshotPublisher(
            client, namespace, name, () -> heartbeats.highestRevision(SnapshotCodec.TRACK_STABLE));
    this.canaryPublisher =
        new SnapshotPublisher(
            client, namespace, name, () -> heartbeats.highestRevision(SnapshotCodec.TRACK_CANARY));
    this.modules = new ModuleConfigMaps(client, namespace, name, clock);
    this.owned =
        new OwnedConfigMaps(
            client,
            namespace,
            name,
            (digest, lastIntact) -> events.moduleDamaged(this, digest, lastIntact),
            (configMap, deleted) -> {
              SnapshotPublisher track =
                  ClusterLayout.snapshotConfigMapName(SnapshotCodec.TRACK_CANARY)
                          .equals(configMap.getMetadata().getName())
                      ? canaryPublisher
                      : publisher;
              if (track.changedInCluster(configMap, deleted)) {
                events.repairNeeded(this);
              }
            });
    this.garbageCollector =
        new ModuleGarbageCollector(modules, owned::modules, moduleGcGrace, clock, name);
  }

  public void start(Events events) {
    this.events = events;
    owned.start();
    heartbeats.start();
  }

  /** Whether the watches hold a full list; the module cache seeds what exists then. */
  public boolean synced() {
    return owned.synced() && heartbeats.synced();
  }

  public String name() {
    return name;
  }

  /** The stable track's snapshot writer. */
  public SnapshotPublisher publisher() {
    return publisher;
  }

  /** The canary track's snapshot writer. */
  public SnapshotPublisher canaryPublisher() {
    return canaryPublisher;
  }

  /** The client of the region's API server, for the objects the operator edits but does not own. */
  public KubernetesClient client() {
    return client;
  }

  /** The namespace of the region's raters. */
  public String namespace() {
    return namespace;
  }

  public ModuleConfigMaps modules() {
    return modules;
  }

  public ModuleGarbageCollector garbageCollector() {
    return garbageCollector;
  }

  public OwnedConfigMaps owned() {
    return owned;
  }

  public RaterHeartbeats heartbeats() {
    return heartbeats;
  }

  @Override
  public void close() {
    owned.close();
    heartbeats.close();
  }
}
