package dev.clawrate.operator.publish;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.operator.kube.Informers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the ConfigMaps the operator writes in one region's rater namespace (by its managed-by
 * label) and reports the ones that changed or went away without it: a module ConfigMap deleted,
 * edited or stripped of its labels (which looks like a deletion to a label-selected watch), a
 * snapshot ConfigMap deleted or rewritten. Its cache also tells which modules exist at start-up and
 * which the garbage collector may consider.
 */
public final class OwnedConfigMaps implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedConfigMaps.class);

  /** Told of a module ConfigMap that is gone or no longer intact. */
  @FunctionalInterface
  public interface ModuleDamage {
    /**
     * @param digest the module's digest
     * @param lastIntact the last state seen that held its bytes intact, or null
     */
    void damaged(String digest, ConfigMap lastIntact);
  }

  private final SharedIndexInformer<ConfigMap> informer;
  private final String region;
  private final String namespace;

  /**
   * @param snapshotChanged told of every change to a snapshot ConfigMap (the state, and whether it
   *     was deleted), to tell its own writes from others'
   */
  public OwnedConfigMaps(
      KubernetesClient client,
      String namespace,
      String region,
      ModuleDamage moduleDamaged,
      BiConsumer<ConfigMap, Boolean> snapshotChanged) {
    this.region = region;
    this.namespace = namespace;
    this.informer =
        client
            .configMaps()
            .inNamespace(namespace)
            .withLabel(ClusterLayout.LABEL_MANAGED_BY, ClusterLayout.MANAGED_BY)
            .runnableInformer(0);
    Informers.retryForever(informer, "the operator's ConfigMaps", region);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap configMap) {
            if (isSnapshot(configMap)) {
              snapshotChanged.accept(configMap, false);
            }
          }

          @Override
          public void onUpdate(ConfigMap before, ConfigMap after) {
            if (isSnapshot(after)) {
              snapshotChanged.accept(after, false);
              return;
            }
            String was = ModuleConfigMaps.intactDigest(before);
            if (was != null && !was.equals(ModuleConfigMaps.intactDigest(after))) {
              moduleDamaged.damaged(was, before);
            }
          }

          @Override
          public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
            if (isSnapshot(configMap)) {
              snapshotChanged.accept(configMap, true);
              return;
            }
            String digest = ModuleConfigMaps.intactDigest(configMap);
            if (digest != null) {
              moduleDamaged.damaged(digest, configMap);
            } else {
              annotatedDigest(configMap).ifPresent(d -> moduleDamaged.damaged(d, null));
            }
          }
        });
  }

  public void start() {
    informer.start();
  }

  public boolean synced() {
    return informer.hasSynced();
  }

  /** Whether the watch is up now (it is down while the API server does not answer). */
  public boolean watching() {
    return informer.isWatching();
  }

  /** The module ConfigMaps in the cache. */
  public List<ConfigMap> modules() {
    return ModuleConfigMaps.modules(informer.getStore().list());
  }

  /** The bytes of the module's ConfigMap in the cache when it is intact, else null. */
  public byte[] moduleBytes(String digest) {
    ConfigMap cached =
        informer.getStore().getByKey(namespace + "/" + ClusterLayout.moduleConfigMapName(digest));
    return cached == null || !digest.equals(ModuleConfigMaps.intactDigest(cached))
        ? null
        : ModuleConfigMaps.intactBytes(cached, digest);
  }

  /** By name, not label: a label edited by hand must not hide the snapshot from repair. */
  private static boolean isSnapshot(ConfigMap configMap) {
    return configMap.getMetadata().getName().startsWith(ClusterLayout.SNAPSHOT_PREFIX);
  }

  private static Optional<String> annotatedDigest(ConfigMap configMap) {
    Map<String, String> annotations = configMap.getMetadata().getAnnotations();
    String digest = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
    return ModuleDigest.isWellFormed(digest) ? Optional.of(digest) : Optional.empty();
  }

  @Override
  public void close() {
    informer.close();
    LOG.atDebug().addKeyValue("region", region).log("stopped watching the operator's ConfigMaps");
  }
}
