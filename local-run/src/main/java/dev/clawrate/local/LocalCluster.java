package dev.clawrate.local;

import dev.clawrate.operator.region.RegionNames;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.RaterOptions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;

/**
 * A Kubernetes API server on this machine: fabric8's mock server in CRUD mode, with the clawrate
 * CRDs installed, speaking real HTTP and watches, validating, pruning and defaulting custom
 * resources as a real API server does. It stands in for a cluster in the local run and in the
 * integration tests; it has no server-side apply, no set-based label selectors and no watch
 * bookmarks, which the operator and raters are written to do without.
 */
public final class LocalCluster implements AutoCloseable {

  public static final String NAMESPACE = "default";
  static final List<String> CRD_RESOURCES =
      List.of(
          "crds/ratingmodels.clawrate.dev-v1.yml",
          "crds/tenantconfigs.clawrate.dev-v1.yml",
          "crds/canaryreleases.clawrate.dev-v1.yml");

  // The mock server logs every request through java.util.logging; requests are not news. The
  // logger is held here because java.util.logging keeps only weak references to loggers.
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final String url;
  private boolean stopped;

  private LocalCluster(int port, boolean validating) {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new DiscoveringCrudDispatcher(crds(), validating),
            false);
    try {
      server.init(InetAddress.getLoopbackAddress(), port);
    } catch (RuntimeException e) {
      // Its event loop threads are already running and would keep the JVM alive.
      server.destroy();
      throw e;
    }
    url = server.url("/");
    client = newClient();
    try {
      installCrds();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts an API server on {@code port} (0 for any free one) with the CRDs installed. One that
   * fails to start has stopped whatever it started.
   */
  public static LocalCluster start(int port) {
    return new LocalCluster(port, true);
  }

  /**
   * Starts an API server that stores custom resources as sent, without validating, pruning or
   * defaulting them: as a cluster holds objects written before its CRDs' current schema. For tests
   * of how clients cope with objects they cannot read.
   */
  public static LocalCluster startUnvalidated(int port) {
    return new LocalCluster(port, false);
  }

  /** A client of this API server in {@link #NAMESPACE}; closed with the cluster. */
  public KubernetesClient client() {
    return client;
  }

  /** Another client, for a component that closes its own. */
  public KubernetesClient newClient() {
    return clientOf(url);
  }

  /** A client of the API server at {@code url} (which need not answer) in {@link #NAMESPACE}. */
  public static KubernetesClient clientOf(String url) {
    return new KubernetesClientBuilder().withConfig(config(url)).build();
  }

  /**
   * Starts a stable rater in cluster mode on 127.0.0.1, watching {@link #NAMESPACE} through {@code
   * client} (the caller's to close), persisting its last good snapshot to {@code stateDir}. Its
   * health port is a free one (see {@link RaterMain#healthPort()}) unless {@code extraArgs} name
   * one.
   *
   * @param port the rating port, 0 for any free port
   */
  public static RaterMain startRater(
      KubernetesClient client, int port, Path stateDir, String... extraArgs)
      throws RaterOptions.UsageException, IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kube",
                "--namespace",
                NAMESPACE,
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--health-port",
                "0",
                "--state-dir",
                stateDir.toString()));
    args.addAll(List.of(extraArgs));
    RaterMain rater = new RaterMain(RaterOptions.parse(args.toArray(String[]::new)), client);
    try {
      rater.start();
    } catch (IOException | RuntimeException e) {
      rater.close();
      throw e;
    }
    return rater;
  }

  public String url() {
    return url;
  }

  private static Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace(NAMESPACE)
        .withTrustCerts(true)
        .withRequestTimeout(10_000)
        .withConnectionTimeout(5_000)
        .build();
  }

  private void installCrds() {
    for (CustomResourceDefinition crd : crds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /** clawrate's CRDs, as the build generated them. */
  private static List<CustomResourceDefinition> crds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String resource : CRD_RESOURCES) {
      try (InputStream in = LocalCluster.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the classpath");
        }
        crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return crds;
  }

  /** A kubeconfig that points a client (kubectl, or the operator for a region) at this server. */
  public String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: clawrate-local
          cluster:
            server: %s
        contexts:
        - name: clawrate-local
          context:
            cluster: clawrate-local
            namespace: %s
            user: clawrate-local
        current-context: clawrate-local
        users:
        - name: clawrate-local
          user:
            token: local
        """
        .formatted(url.replaceAll("/$", ""), NAMESPACE);
  }

  /** Writes {@link #kubeconfig()} to {@code file}. */
  public Path writeKubeconfig(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, kubeconfig(), StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Registers {@code member} as a region of the hub behind {@code hub}: the Secret an administrator
   * would apply, in the hub's {@link #NAMESPACE}.
   */
  public static Secret registerRegion(KubernetesClient hub, String region, LocalCluster member) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("region-" + region)
            .withNamespace(NAMESPACE)
            .addToLabels(RegionNames.LABEL, region)
            .endMetadata()
            .addToStringData("kubeconfig", member.kubeconfig())
            .build();
    return hub.secrets().inNamespace(NAMESPACE).resource(secret).create();
  }

  /** Creates a Secret holding one key, as {@code kubectl create secret generic} would. */
  public static Secret createSecret(
      KubernetesClient client, String namespace, String name, String key, String value) {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .addToData(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
            .build();
    return client.secrets().inNamespace(namespace).resource(secret).create();
  }

  /** The port this server listens on. */
  public int port() {
    return URI.create(url).getPort();
  }

  /** Makes the API server unreachable, as an outage would. */
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
