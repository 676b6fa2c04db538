package dev.clawrate.rater.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock API server in CRUD mode, over real HTTP with real watches: a stand-in for one
 * region's cluster. {@link #stop()} makes it unreachable, as an API server outage would.
 */
public final class MockCluster implements AutoCloseable {

  public static final String NAMESPACE = "clawrate";

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;
  private final String url;
  private boolean stopped;

  // The mock server logs every request at INFO through java.util.logging; the reference keeps
  // the quieter level from being garbage-collected away.
  private static final java.util.logging.Logger MOCK_SERVER_LOG = quietMockServerLog();

  private MockCluster(int port) {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    if (port == 0) {
      server.init();
    } else {
      server.init(InetAddress.getLoopbackAddress(), port);
    }
    client = server.createClient();
    url = server.url("/");
  }

  public static MockCluster start() {
    return new MockCluster(0);
  }

  /** On a given port, e.g. one a rater was told about before the server was up. */
  public static MockCluster startOn(int port) {
    return new MockCluster(port);
  }

  /** A port free now, for a server to be started later. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client of an API server at {@code url} that gives up on a request quickly. */
  public static KubernetesClient clientOf(String url) {
    Config config =
        new ConfigBuilder()
            .withMasterUrl(url)
            .withNamespace(NAMESPACE)
            .withConnectionTimeout(500)
            .withRequestTimeout(500)
            // fabric8 retries a refused connection for about 20 s by default.
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static java.util.logging.Logger quietMockServerLog() {
    var logger = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  /** A client of this server; closed with it. */
  public KubernetesClient client() {
    return client;
  }

  /** The API server's URL, which stays refused after {@link #stop()}. */
  public String url() {
    return url;
  }

  /** A writer of ConfigMaps as the operator writes them, in {@link #NAMESPACE}. */
  public ClusterConfig config() {
    return new ClusterConfig(client, NAMESPACE);
  }

  /** Makes the API server unreachable; clients of it see refused connections. */
  public void stop() {
    if (!stopped) {
      stopped = true;
      server.destroy();
    }
  }

  @Override
  public void close() {
    client.close();
    stop();
  }
}
