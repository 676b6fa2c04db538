package dev.clawrate.rater.kube;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import dev.clawrate.rater.RaterOptions.KubeOptions;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.snapshot.SnapshotSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Builds what a rater in cluster mode needs of the API server: its snapshot source and its
 * heartbeat. Kept apart from {@code RaterMain} so that a rater serving a directory never loads a
 * Kubernetes client class.
 */
public final class ClusterSources {

  /**
   * @param source the track's ConfigMaps, backed by the state directory when there is one
   * @param namespace the namespace watched
   * @param heartbeat the heartbeat Lease writer, not started yet
   * @param ownedClient the client built here, for the rater to close; null when the caller passed
   *     its own
   */
  public record Opened(
      SnapshotSource source,
      String namespace,
      LeaseHeartbeat heartbeat,
      AutoCloseable ownedClient) {}

  private ClusterSources() {}

  /**
   * @param client the client to use, owned by the caller; null builds one from the environment (the
   *     pod's service account, else KUBECONFIG's current context)
   * @param report what the heartbeat reports, read at every write
   * @throws IllegalArgumentException when the namespace or pod name from the environment is not a
   *     valid Kubernetes name
   */
  public static Opened open(
      KubeOptions options,
      String track,
      KubernetesClient client,
      ConfigMapSource.ModuleArrivals arrivals,
      Supplier<Heartbeat> report,
      RaterMetrics metrics) {
    KubernetesClient used = client != null ? client : new KubernetesClientBuilder().build();
    String namespace;
    String podName;
    try {
      namespace =
          KubeNamespace.resolve(
              options.namespace(),
              System.getenv(KubeNamespace.POD_NAMESPACE_ENV),
              used.getNamespace());
      podName =
          PodName.resolve(
              options.podName(),
              System.getenv(PodName.POD_NAME_ENV),
              hostname(),
              ThreadLocalRandom.current());
    } catch (RuntimeException e) {
      if (client == null) {
        used.close();
      }
      throw e;
    }
    ConfigMapSource cluster =
        new ConfigMapSource(used, namespace, track, options.syncTimeout(), arrivals);
    SnapshotSource source =
        options.stateDir() == null
            ? cluster
            : new LastGoodFallbackSource(cluster, options.stateDir());
    int renewSeconds = (int) options.heartbeatInterval().toSeconds();
    LeaseHeartbeat heartbeat =
        new LeaseHeartbeat(
            used,
            new HeartbeatLease(
                namespace, podName, track, renewSeconds * HeartbeatLayout.RENEWALS_PER_DURATION),
            report,
            options.heartbeatInterval(),
            metrics,
            Clock.systemUTC());
    return new Opened(source, namespace, heartbeat, client == null ? used : null);
  }

  private static String hostname() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
