package dev.clawrate.operator.dashboard;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.HealthServer;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.egress.EgressPolicy;
import dev.clawrate.operator.metrics.DirectMetricsSource;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.testing.RaterClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One region of clawrate with everything a dashboard shows happening in it: the hub's mock API
 * server, the region's stable and canary raters in cluster mode behind the example route and its
 * stand-in gateway, and the real operator with its health server, given the example models, tenants
 * and CanaryRelease as a user applies them. Then ratings through the gateway, a tenant whose model
 * always traps answered by its fallback, and a new version of the scorecard, which starts the
 * release (shadow samples, the canary's weight per region).
 */
final class ObservedWorld implements AutoCloseable {

  static final String NS = LocalCluster.NAMESPACE;
  static final String REGION = ClawrateOperator.LOCAL_REGION;
  static final String TENANT = "acme-bank";
  static final String FALLBACK_TENANT = "initech-eu";

  private final List<AutoCloseable> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private LocalCluster hub;
  private LocalRegion region;
  private HealthServer health;

  ObservedWorld(Path stateDir) throws Exception {
    try {
      hub = LocalCluster.start(0);
      started.add(hub);
      region = LocalRegion.start(REGION, hub, stateDir, 0, LocalRegion.exampleRoute());
      started.add(region);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      KubernetesClient operatorClient = hub.newClient();
      started.add(operatorClient);
      ClawrateOperator operator =
          new ClawrateOperator(
              operatorClient,
              OperatorSettings.defaults(NS)
                  .withEgress(EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK)),
              registry,
              ModuleFetcher.defaultHttpClient(),
              new DirectMetricsSource(Map.of(REGION, region.metricsUrls())));
      started.add(operator);
      health =
          new HealthServer(0, operator::ready, registry, operator::regionHealth, operator::leader);
      started.add(health);
      health.start();
      operator.start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** Applies the examples and drives the traffic and the release the dashboard shows. */
  void happen() throws IOException {
    apply("model-credit-scorecard.yaml", RatingModel.class, model -> {});
    apply("model-always-traps.yaml", RatingModel.class, model -> {});
    apply("tenant-acme-bank.yaml", TenantConfig.class, tenant -> {});
    // The example's fallback tenant, on the model that always traps and in this region only: every
    // request it makes is answered by its fallback decision.
    apply(
        "tenant-with-fallback.yaml",
        TenantConfig.class,
        tenant -> {
          tenant.getSpec().getModelRef().setName("always-traps");
          tenant.getSpec().setRegions(null);
        });
    apply(
        "canary-credit-scorecard.yaml",
        CanaryRelease.class,
        release -> release.getSpec().setRegions(List.of(REGION)));
    Await.until(
        "both tenants are rated through the gateway",
        Duration.ofSeconds(60),
        () -> rate(TENANT) == 200 && rate(FALLBACK_TENANT) == 200);
    for (int i = 0; i < 20; i++) {
      rate(TENANT);
      rate(FALLBACK_TENANT);
    }
    // The release adopts what is served as its stable version first; a change it has not seen
    // adopted yet would be adopted as stable too, and start nothing.
    Await.until(
        "the release adopted the served scorecard",
        Duration.ofSeconds(60),
        () -> {
          CanaryRelease release =
              hub.client()
                  .resources(CanaryRelease.class)
                  .inNamespace(NS)
                  .withName("credit-scorecard")
                  .get();
          return release != null
              && release.getStatus() != null
              && "Idle".equals(release.getStatus().getPhase());
        });
    // A new version of the scorecard (its limits are part of it) starts the release.
    hub.client()
        .resources(RatingModel.class)
        .inNamespace(NS)
        .withName("credit-scorecard")
        .edit(
            model -> {
              model.getSpec().getLimits().setTimeoutMillis(49);
              return model;
            });
  }

  private <T extends HasMetadata> void apply(String file, Class<T> type, Consumer<T> edit)
      throws IOException {
    try (InputStream in =
        Files.newInputStream(Fixtures.examplesDir().resolve("resources").resolve(file))) {
      T resource = hub.client().getKubernetesSerialization().unmarshal(in, type);
      resource.getMetadata().setNamespace(NS);
      edit.accept(resource);
      hub.client().resource(resource).create();
    }
  }

  /** Rates the example applicant for {@code tenant} through the region's gateway. */
  int rate(String tenant) {
    HttpRequest request =
        HttpRequest.newBuilder(region.gatewayUrl().resolve("/v1/rate"))
            .header("X-Tenant-Id", tenant)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    Fixtures.read(
                        Fixtures.examplesDir().resolve("requests").resolve("applicant.json"))))
            .build();
    return send(request).statusCode();
  }

  /** The operator's {@code /metrics}, as Prometheus scrapes it. */
  String operatorMetrics() {
    return get(URI.create("http://127.0.0.1:" + health.port() + "/metrics"));
  }

  /** Each rater's {@code /metrics}, stable and canary. */
  List<String> raterMetrics() {
    List<String> scrapes = new ArrayList<>();
    for (RaterMain rater : List.of(region.stable(), region.canary())) {
      scrapes.add(new RaterClient(rater.healthPort()).get("/metrics").body());
    }
    return scrapes;
  }

  private String get(URI uri) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET().build());
    if (response.statusCode() != 200) {
      throw new AssertionError(uri.getPath() + " answered " + response.statusCode());
    }
    return response.body();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop " + started.get(i), e);
      }
    }
    started.clear();
  }
}
