package dev.clawrate.rater.kube;

import dev.clawrate.rater.RaterOptions.KubeOptions;
import dev.clawrate.rater.snapshot.SnapshotSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Builds the snapshot source of a rater in cluster mode. Kept apart from {@code RaterMain} so that
 * a rater serving a directory never loads a Kubernetes client class.
 */
public final class ClusterSources {

  /**
   * @param source the track's ConfigMaps, backed by the state directory when there is one
   * @param namespace the namespace watched
   * @param ownedClient the client built here, for the rater to close; null when the caller passed
   *     its own
   */
  public record Opened(SnapshotSource source, String namespace, AutoCloseable ownedClient) {}

  private ClusterSources() {}

  /**
   * @param client the client to use, owned by the caller; null builds one from the environment (the
   *     pod's service account, else KUBECONFIG's current context)
   */
  public static Opened open(
      KubeOptions options,
      String track,
      KubernetesClient client,
      ConfigMapSource.ModuleArrivals arrivals) {
    KubernetesClient used = client != null ? client : new KubernetesClientBuilder().build();
    String namespace =
        KubeNamespace.resolve(
            options.namespace(),
            System.getenv(KubeNamespace.POD_NAMESPACE_ENV),
            used.getNamespace());
    ConfigMapSource cluster =
        new ConfigMapSource(used, namespace, track, options.syncTimeout(), arrivals);
    SnapshotSource source =
        options.stateDir() == null
            ? cluster
            : new LastGoodFallbackSource(cluster, options.stateDir());
    return new Opened(source, namespace, client == null ? used : null);
  }
}
