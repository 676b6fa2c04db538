package dev.clawrate.local;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.operator.traffic.GatewayApiCrds;
import dev.clawrate.rater.RaterMain;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's serving side, as a cluster with a gateway would run it: a stable and a canary rater
 * in cluster mode against the region's API server, the HTTPRoute callers reach them through, and a
 * {@link LocalGateway} that follows the route's weights. Used by the local run and the tests.
 */
public final class LocalRegion implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRegion.class);

  /** The route of {@code examples/resources/httproute-raters.yaml}. */
  public static final String ROUTE = "clawrate-raters";

  public static final String STABLE_SERVICE = "clawrate-rater-stable";
  public static final String CANARY_SERVICE = "clawrate-rater-canary";

  private final String name;
  private final List<AutoCloseable> started = new ArrayList<>();
  private RaterMain stable;
  private RaterMain canary;
  private LocalGateway gateway;

  private LocalRegion(String name) {
    this.name = name;
  }

  /**
   * Starts both raters, applies the route and starts the gateway. On failure what was started is
   * stopped again.
   *
   * @param stablePort the stable rater's rating port, 0 for any free one
   * @param route the HTTPRoute to apply in the region's namespace (its namespace is set here)
   * @param raterArgs more arguments for both raters (e.g. how often heartbeats renew)
   */
  public static LocalRegion start(
      String name,
      LocalCluster cluster,
      Path stateDir,
      int stablePort,
      HTTPRoute route,
      String... raterArgs)
      throws Exception {
    LocalRegion region = new LocalRegion(name);
    try {
      region.stable =
          region.rater(cluster, stateDir, SnapshotCodec.TRACK_STABLE, stablePort, raterArgs);
      region.canary = region.rater(cluster, stateDir, SnapshotCodec.TRACK_CANARY, 0, raterArgs);
      GatewayApiCrds.install(cluster.client());
      route.getMetadata().setNamespace(LocalCluster.NAMESPACE);
      cluster.client().resource(route).createOr(existing -> existing.update());
      KubernetesClient gatewayClient = cluster.newClient();
      region.started.add(gatewayClient);
      region.gateway =
          LocalGateway.start(
              gatewayClient,
              LocalCluster.NAMESPACE,
              route.getMetadata().getName(),
              Map.of(
                  STABLE_SERVICE, URI.create("http://127.0.0.1:" + region.stable.port()),
                  CANARY_SERVICE, URI.create("http://127.0.0.1:" + region.canary.port())),
              0);
      region.started.add(region.gateway);
      return region;
    } catch (Exception e) {
      region.close();
      throw e;
    }
  }

  /** The route of the examples, read from the checkout or the jar. */
  public static HTTPRoute exampleRoute() throws IOException {
    try (InputStream in = LocalRun.example("httproute-raters.yaml")) {
      return (HTTPRoute) new KubernetesSerialization().unmarshal(in);
    }
  }

  private RaterMain rater(
      LocalCluster cluster, Path stateDir, String track, int port, String... extraArgs)
      throws Exception {
    KubernetesClient client = cluster.newClient();
    started.add(client);
    List<String> args =
        new ArrayList<>(List.of("--track", track, "--pod-name", "rater-" + name + "-" + track));
    args.addAll(List.of(extraArgs));
    RaterMain rater =
        LocalCluster.startRater(
            client,
            port,
            stateDir.resolve("rater-" + name + "-" + track),
            args.toArray(String[]::new));
    started.add(rater);
    return rater;
  }

  public String name() {
    return name;
  }

  public RaterMain stable() {
    return stable;
  }

  public RaterMain canary() {
    return canary;
  }

  public URI gatewayUrl() {
    return gateway.url();
  }

  /** Each track's {@code /metrics} URL, as direct metrics sources read them. */
  public Map<String, List<String>> metricsUrls() {
    return Map.of(
        SnapshotCodec.TRACK_STABLE,
        List.of("http://127.0.0.1:" + stable.healthPort() + "/metrics"),
        SnapshotCodec.TRACK_CANARY,
        List.of("http://127.0.0.1:" + canary.healthPort() + "/metrics"));
  }

  /** Stops the gateway, the raters and their clients, newest first. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.atWarn()
            .addKeyValue("region", name)
            .addKeyValue("error", e.toString())
            .log("stopping part of a local region failed");
      }
    }
    started.clear();
  }
}
