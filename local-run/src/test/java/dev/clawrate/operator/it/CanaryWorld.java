package dev.clawrate.operator.it;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.local.TrafficDriver;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.api.CanaryAnalysisSpec;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryShadowSpec;
import dev.clawrate.operator.api.CanaryStepSpec;
import dev.clawrate.operator.api.CanaryTargetRef;
import dev.clawrate.operator.api.CanaryTrafficSpec;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.metrics.DirectMetricsSource;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.operator.traffic.WeightSplit;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Three regions for canary tests: the hub and two members, each a mock API server with a stable and
 * a canary rater, the HTTPRoute of the examples and a stand-in gateway that follows its weights;
 * the real operator on the hub, reading the raters' metrics directly; and steady traffic for one
 * tenant through every gateway.
 */
final class CanaryWorld implements AutoCloseable {

  static final String NS = LocalCluster.NAMESPACE;
  static final List<String> REGIONS = List.of("local", "eu-west", "us-east");
  static final String MODEL = "scorer";
  static final String TENANT = "acme";
  static final String RELEASE = "scorer";

  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<String, LocalCluster> clusters = new LinkedHashMap<>();
  private final Map<String, LocalRegion> regions = new LinkedHashMap<>();
  private KubernetesClient operatorClient;
  private ClawrateOperator operator;
  private TrafficDriver traffic;

  CanaryWorld(Path dir) throws Exception {
    try {
      TestRegions.start(REGIONS, dir, started, clusters, regions);
      startOperator();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  void startOperator() {
    Map<String, Map<String, List<String>>> urls = new LinkedHashMap<>();
    regions.forEach((name, region) -> urls.put(name, region.metricsUrls()));
    operatorClient = hub().newClient();
    operator =
        new ClawrateOperator(
            operatorClient,
            OperatorHarness.settings(),
            new SimpleMeterRegistry(),
            ModuleFetcher.defaultHttpClient(),
            new DirectMetricsSource(urls));
    operator.start();
  }

  void stopOperator() {
    operator.close();
    operatorClient.close();
    operator = null;
  }

  LocalCluster hub() {
    return clusters.get(ClawrateOperator.LOCAL_REGION);
  }

  LocalCluster cluster(String region) {
    return clusters.get(region);
  }

  LocalRegion region(String name) {
    return regions.get(name);
  }

  /** Steady traffic for the tenant through every region's gateway. */
  TrafficDriver startTraffic(int perSecond) {
    Map<String, URI> gateways = new LinkedHashMap<>();
    regions.forEach((name, region) -> gateways.put(name, region.gatewayUrl()));
    traffic = TrafficDriver.start(gateways, TENANT, "{\"applicantId\":\"A-1\"}", perSecond);
    return traffic;
  }

  void applyModel(byte[] module) {
    RatingModelSpec spec = new RatingModelSpec();
    spec.setModule(OperatorHarness.inline(module));
    ModelLimitsSpec limits = new ModelLimitsSpec();
    // Long enough that a loaded machine never turns a slow answer into a time-out: latency, not
    // time-outs, is what the slow candidate is judged on.
    limits.setTimeoutMillis(2000);
    spec.setLimits(limits);
    var resource = hub().client().resources(RatingModel.class).inNamespace(NS).withName(MODEL);
    if (resource.get() == null) {
      RatingModel model = new RatingModel();
      model.setMetadata(new ObjectMetaBuilder().withName(MODEL).withNamespace(NS).build());
      model.setSpec(spec);
      hub().client().resource(model).create();
    } else {
      resource.edit(
          model -> {
            model.setSpec(spec);
            return model;
          });
    }
  }

  void applyTenant() {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName(TENANT).withNamespace(NS).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef(MODEL));
    spec.setThreshold(650.0);
    tenant.setSpec(spec);
    hub().client().resource(tenant).create();
  }

  /**
   * A release of the model through every region in order, judged every 2 s. No latency limit: on a
   * loaded machine a good model's p99 over a few dozen requests is a garbage collection's pause;
   * the slow-model test sets its own.
   *
   * @param edit completes the spec (shadow, steps, limits)
   */
  void applyRelease(Consumer<CanaryReleaseSpec> edit) {
    CanaryRelease release = new CanaryRelease();
    release.setMetadata(new ObjectMetaBuilder().withName(RELEASE).withNamespace(NS).build());
    CanaryReleaseSpec spec = new CanaryReleaseSpec();
    CanaryTargetRef target = new CanaryTargetRef();
    target.setKind("RatingModel");
    target.setName(MODEL);
    spec.setTargetRef(target);
    CanaryTrafficSpec traffic = new CanaryTrafficSpec();
    traffic.setRoute(LocalRegion.ROUTE);
    traffic.setStableService(LocalRegion.STABLE_SERVICE);
    traffic.setCanaryService(LocalRegion.CANARY_SERVICE);
    spec.setTraffic(traffic);
    spec.setSteps(List.of(step(50, "0s")));
    CanaryAnalysisSpec analysis = new CanaryAnalysisSpec();
    analysis.setInterval("2s");
    analysis.setMinRequests(5L);
    analysis.setMaxErrorRatePercent(1.0);
    analysis.setMaxFlipRatePercent(5.0);
    analysis.setProgressDeadline("2m");
    spec.setAnalysis(analysis);
    spec.setRegions(REGIONS);
    edit.accept(spec);
    release.setSpec(spec);
    hub().client().resource(release).create();
  }

  static CanaryStepSpec step(double weight, String pause) {
    CanaryStepSpec step = new CanaryStepSpec();
    step.setWeight(weight);
    step.setPause(pause);
    return step;
  }

  static CanaryShadowSpec shadow(double percent, long minSamples) {
    CanaryShadowSpec shadow = new CanaryShadowSpec();
    shadow.setSamplePercent(percent);
    shadow.setMinSamples(minSamples);
    return shadow;
  }

  void editRelease(Consumer<CanaryRelease> edit) {
    hub()
        .client()
        .resources(CanaryRelease.class)
        .inNamespace(NS)
        .withName(RELEASE)
        .edit(
            release -> {
              edit.accept(release);
              return release;
            });
  }

  CanaryReleaseStatus status() {
    CanaryRelease release =
        hub().client().resources(CanaryRelease.class).inNamespace(NS).withName(RELEASE).get();
    return release == null ? null : release.getStatus();
  }

  String phase() {
    CanaryReleaseStatus status = status();
    return status == null ? null : status.getPhase();
  }

  /** The canary's share of the region's route, as the route holds it now. */
  WeightSplit routeWeight(String region) throws Exception {
    return new dev.clawrate.operator.traffic.RouteWeights(cluster(region).client(), region)
        .observe(NS, LocalRegion.ROUTE, LocalRegion.STABLE_SERVICE, LocalRegion.CANARY_SERVICE)
        .current();
  }

  @Override
  public void close() {
    if (traffic != null) {
      traffic.close();
    }
    if (operator != null) {
      stopOperator();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
