package dev.clawrate.rater.kube;

import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.rater.snapshot.ModuleStore;
import dev.clawrate.rater.snapshot.SnapshotSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A track's snapshot as the operator publishes it in the rater's namespace (design contract 2): the
 * {@code clawrate-snapshot-<track>} ConfigMap and the module ConfigMaps it names. One informer
 * watches every ConfigMap labelled {@code app.kubernetes.io/part-of=clawrate} in the namespace;
 * reads come from its cache, so a reload makes no API call, and a rater whose API server is gone
 * keeps what it has.
 */
public final class ConfigMapSource implements SnapshotSource {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigMapSource.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String snapshotName;
  private final Duration syncTimeout;
  private final ConfigMapModuleStore modules;
  private final ModuleArrivals arrivals;
  private volatile SharedIndexInformer<ConfigMap> informer;
  private volatile CompletableFuture<Void> synced;
  // Guarded by this. A rater that fails to start closes its source while the first load may still
  // be starting it on another thread; a source closed first never starts.
  private boolean closed;

  /**
   * @param client not closed by this source
   * @param syncTimeout how long {@link #start} waits for the first list before giving up waiting
   */
  public ConfigMapSource(
      KubernetesClient client,
      String namespace,
      String track,
      Duration syncTimeout,
      ModuleArrivals arrivals) {
    this.client = client;
    this.arrivals = arrivals;
    this.namespace = namespace;
    this.snapshotName = ClusterLayout.snapshotConfigMapName(track);
    this.syncTimeout = syncTimeout;
    this.modules = new ConfigMapModuleStore(this::cached, namespace);
  }

  /** Starts watching, then waits at most the sync timeout for the first list of ConfigMaps. */
  @Override
  public void start(Runnable onChange) {
    startWatching(onChange);
    awaitSync(syncTimeout);
  }

  /**
   * Starts the informer without waiting for it to list anything; it retries until the API server
   * answers, and reports what it finds through {@code onChange}.
   */
  public synchronized void startWatching(Runnable onChange) {
    if (closed) {
      return;
    }
    SharedIndexInformer<ConfigMap> started =
        client
            .configMaps()
            .inNamespace(namespace)
            // An equality selector: the only kind every API server (and the test mock) honours.
            .withLabel(ClusterLayout.LABEL_PART_OF, ClusterLayout.PART_OF)
            // No resync: the reloader polls the cache on its own.
            .runnableInformer(0);
    started.exceptionHandler(
        (isStarted, error) -> {
          LOG.atWarn()
              .addKeyValue("namespace", namespace)
              .addKeyValue("error", String.valueOf(error))
              .log("listing or watching ConfigMaps failed; retrying");
          // Never give up: a region whose API server is down must converge when it returns.
          return true;
        });
    started.addEventHandler(new RelevantChanges(onChange));
    informer = started;
    synced = started.start().toCompletableFuture();
  }

  /**
   * Whether the first list arrived within {@code timeout}; logs a warning when it did not. False at
   * once for a source closed before it started.
   */
  public boolean awaitSync(Duration timeout) {
    CompletableFuture<Void> listed = synced;
    if (listed == null) {
      // Closed before it started.
      return false;
    }
    try {
      listed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.atInfo()
          .addKeyValue("namespace", namespace)
          .addKeyValue("configMaps", informer.getStore().list().size())
          .log("ConfigMap cache synced");
      return true;
    } catch (TimeoutException | ExecutionException e) {
      if (isClosed()) {
        // Stopped by a rater that gave up starting: nothing to warn about.
        return false;
      }
      LOG.atWarn()
          .addKeyValue("namespace", namespace)
          .addKeyValue("waitedSeconds", timeout.toSeconds())
          .addKeyValue("error", e instanceof TimeoutException ? "timeout" : e.getCause().toString())
          .log("ConfigMaps not listed yet; starting without them, they load when the API answers");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** A watch hands over whole objects: nothing to wait for. */
  @Override
  public Duration settle() {
    return Duration.ZERO;
  }

  @Override
  public byte[] readSnapshot() throws IOException {
    ConfigMap configMap = cached(snapshotName);
    if (configMap == null) {
      return null;
    }
    byte[] json = ClusterLayout.load(configMap.getData(), configMap.getBinaryData());
    if (json == null) {
      throw new IOException(
          "ConfigMap "
              + snapshotName
              + " holds neither data "
              + ClusterLayout.SNAPSHOT_KEY
              + " nor binaryData "
              + ClusterLayout.SNAPSHOT_GZIP_KEY);
    }
    return json;
  }

  @Override
  public ModuleStore modules() {
    return modules;
  }

  @Override
  public String describe() {
    return "ConfigMap " + namespace + "/" + snapshotName;
  }

  @Override
  public synchronized void close() {
    closed = true;
    SharedIndexInformer<ConfigMap> current = informer;
    if (current != null) {
      current.stop();
    }
  }

  private ConfigMap cached(String name) {
    SharedIndexInformer<ConfigMap> current = informer;
    if (current == null) {
      return null;
    }
    return current.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  /**
   * Told of each module ConfigMap that appears, before any snapshot names it: the operator writes
   * modules first, so this is the moment to compile one ahead of the swap.
   */
  @FunctionalInterface
  public interface ModuleArrivals {
    void arrived(String digest, byte[] module);

    ModuleArrivals IGNORE = (digest, module) -> {};
  }

  /** Passes on changes to this track's snapshot and to modules; ignores the other track's. */
  private final class RelevantChanges implements ResourceEventHandler<ConfigMap> {

    private final Runnable onChange;

    RelevantChanges(Runnable onChange) {
      this.onChange = onChange;
    }

    @Override
    public void onAdd(ConfigMap configMap) {
      changed(configMap);
      String name = configMap.getMetadata().getName();
      var annotations = configMap.getMetadata().getAnnotations();
      String digest = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
      if (name.startsWith(ClusterLayout.MODULE_PREFIX) && digest != null) {
        try {
          arrivals.arrived(digest, modules.read(digest));
        } catch (ModelValidationException e) {
          // The snapshot that names it will be rejected with the reason; nothing to add here.
          LOG.atDebug().addKeyValue("configMap", name).log("module not precompiled");
        }
      }
    }

    @Override
    public void onUpdate(ConfigMap before, ConfigMap after) {
      changed(after);
    }

    @Override
    public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
      changed(configMap);
    }

    private void changed(ConfigMap configMap) {
      String name = configMap.getMetadata().getName();
      if (name.equals(snapshotName) || name.startsWith(ClusterLayout.MODULE_PREFIX)) {
        onChange.run();
      }
    }
  }
}
