package dev.clawrate.benchmarks;

import dev.clawrate.local.CustomSection;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.local.TrafficDriver;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.api.CanaryAnalysisSpec;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryStepSpec;
import dev.clawrate.operator.api.CanaryTargetRef;
import dev.clawrate.operator.api.CanaryTrafficSpec;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.metrics.DirectMetricsSource;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.operator.traffic.RouteWeights;
import dev.clawrate.operator.traffic.WeightSplit;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Rollback time of a canary release in three regions. Each round releases a new candidate that
 * rates like stable until inputs grow past 512 bytes, steps it through the three regions in order
 * and, once the last region takes traffic (so every region carries canary weight), switches the
 * traffic to long inputs: the candidate now traps. Measured, per round, from the failing analysis
 * ({@code status.analysis.at}) and from the first failing request to the moment every region's
 * HTTPRoute is back to 100% stable, as each region's watch sees it. Baseline in the same run: one
 * route write to every region at once, to the same watches.
 *
 * <p>Usage: {@code CanaryRollbackBenchmark <rounds> <interval seconds> <fixtures dir>}
 */
public final class CanaryRollbackBenchmark {

  private static final List<String> REGIONS = List.of("local", "eu-west", "us-east");
  private static final String NS = LocalCluster.NAMESPACE;
  private static final String MODEL = "scorer";
  private static final String TENANT = "acme";
  private static final WeightSplit STEP = WeightSplit.canaryPercent(20);

  private CanaryRollbackBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int rounds = Integer.parseInt(args[0]);
    int interval = Integer.parseInt(args[1]);
    Path fixtures = Path.of(args[2]);
    byte[] stable = Files.readAllBytes(fixtures.resolve("constant-a.wasm"));
    byte[] candidate = Files.readAllBytes(fixtures.resolve("trap-long.wasm"));
    Path dir = Files.createTempDirectory("canary-bench-");
    Map<String, LocalCluster> clusters = new LinkedHashMap<>();
    Map<String, LocalRegion> regions = new LinkedHashMap<>();
    List<AutoCloseable> started = new ArrayList<>();
    try {
      for (String name : REGIONS) {
        LocalCluster cluster = LocalCluster.start(0);
        started.add(cluster);
        clusters.put(name, cluster);
        HTTPRoute route = LocalRegion.exampleRoute();
        LocalRegion region =
            LocalRegion.start(name, cluster, dir, 0, route, "--heartbeat-seconds", "1");
        started.add(region);
        regions.put(name, region);
        if (!name.equals("local")) {
          LocalCluster.registerRegion(clusters.get("local").client(), name, cluster);
        }
      }
      Map<String, Map<String, List<String>>> urls = new LinkedHashMap<>();
      regions.forEach((name, region) -> urls.put(name, region.metricsUrls()));
      var hub = clusters.get("local").client();
      ClawrateOperator operator =
          new ClawrateOperator(
              clusters.get("local").newClient(),
              OperatorSettings.defaults(NS),
              new SimpleMeterRegistry(),
              ModuleFetcher.defaultHttpClient(),
              new DirectMetricsSource(urls));
      started.add(operator);
      operator.start();
      hub.resource(model(stable)).create();
      hub.resource(tenant()).create();
      hub.resource(release(interval)).create();
      await(() -> status(hub) != null && status(hub).getStable() != null, 120, "adopted");
      Map<String, URI> gateways = new LinkedHashMap<>();
      regions.forEach((name, region) -> gateways.put(name, region.gatewayUrl()));
      RouteClock routes = new RouteClock(clusters);
      started.add(routes);

      double[] fromMeasure = new double[rounds];
      double[] fromBreach = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        String version = "r" + i;
        try (TrafficDriver shortInputs =
            TrafficDriver.start(gateways, TENANT, "{\"applicantId\":\"A-1\"}", 40)) {
          hub.resources(RatingModel.class)
              .inNamespace(NS)
              .withName(MODEL)
              .edit(
                  m -> withModule(m, CustomSection.append(candidate, "clawrate.version", version)));
          await(
              () -> {
                CanaryReleaseStatus s = status(hub);
                return s.getCurrentRegion() != null
                    && s.getCurrentRegion() == REGIONS.size() - 1
                    && s.getStepSince() != null;
              },
              300,
              "the last region takes the candidate");
        }
        routes.reset();
        Instant breachAt = Instant.now();
        String longInput = "{\"applicantId\":\"A-1\",\"note\":\"" + "x".repeat(600) + "\"}";
        try (TrafficDriver longInputs = TrafficDriver.start(gateways, TENANT, longInput, 40)) {
          await(() -> "RolledBack".equals(status(hub).getPhase()), 120, "rolled back");
          await(routes::allStable, 60, "every route back to stable");
        }
        Instant measured = Instant.parse(status(hub).getAnalysis().getAt());
        Instant allStable = routes.lastStable();
        fromMeasure[i] = Duration.between(measured, allStable).toNanos() / 1e6;
        fromBreach[i] = Duration.between(breachAt, allStable).toNanos() / 1e6;
        System.out.printf(
            "round %2d  failing analysis -> 100%% stable in 3 regions %7.1f ms   first failing"
                + " request -> 100%% stable %7.1f ms   (%s)%n",
            i + 1,
            fromMeasure[i],
            fromBreach[i],
            String.join("; ", status(hub).getAnalysis().getReasons()));
      }
      double[] baseline = baseline(clusters, routes, 20);
      System.out.println("failing analysis -> stable:  " + Stats.summary(fromMeasure));
      System.out.println("first failing request -> stable: " + Stats.summary(fromBreach));
      System.out.println(
          "baseline, one route write to 3 regions at once -> seen: " + Stats.summary(baseline));
      System.out.printf(
          "target: first failing measurement -> stable <= interval + 2 s = %d ms; p99 %.1f ms%n",
          interval * 1000 + 2000, Stats.percentile(fromMeasure, 99));
      System.out.printf(
          "ratio to baseline (p50): %.2fx%n",
          Stats.percentile(fromMeasure, 50) / Stats.percentile(baseline, 50));
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    }
  }

  /** Writes a split to every region's route at once, and times until every watch sees it. */
  private static double[] baseline(
      Map<String, LocalCluster> clusters, RouteClock routes, int samples) throws Exception {
    double[] millis = new double[samples];
    for (int i = 0; i < samples; i++) {
      WeightSplit split = i % 2 == 0 ? STEP : WeightSplit.ALL_STABLE;
      routes.reset();
      Instant start = Instant.now();
      List<Thread> writers = new ArrayList<>();
      for (Map.Entry<String, LocalCluster> region : clusters.entrySet()) {
        Thread writer =
            new Thread(
                () -> {
                  try {
                    new RouteWeights(region.getValue().client(), region.getKey())
                        .set(
                            NS,
                            LocalRegion.ROUTE,
                            LocalRegion.STABLE_SERVICE,
                            LocalRegion.CANARY_SERVICE,
                            split);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        writers.add(writer);
        writer.start();
      }
      for (Thread writer : writers) {
        writer.join();
      }
      await(() -> routes.allAt(split), 30, "baseline write seen");
      millis[i] = Duration.between(start, routes.lastChange()).toNanos() / 1e6;
    }
    return millis;
  }

  /** When each region's route was last seen changing, by a watch per region. */
  private static final class RouteClock implements AutoCloseable {
    private final Map<String, WeightSplit> weights = new ConcurrentHashMap<>();
    private final Map<String, Instant> changed = new ConcurrentHashMap<>();
    private final List<Watch> watches = new ArrayList<>();

    RouteClock(Map<String, LocalCluster> clusters) {
      clusters.forEach(
          (region, cluster) ->
              watches.add(
                  cluster
                      .client()
                      .resources(HTTPRoute.class)
                      .inNamespace(NS)
                      .withName(LocalRegion.ROUTE)
                      .watch(
                          new Watcher<>() {
                            @Override
                            public void eventReceived(Action action, HTTPRoute route) {
                              WeightSplit split = split(route);
                              if (split != null && !split.equals(weights.put(region, split))) {
                                changed.put(region, Instant.now());
                              }
                            }

                            @Override
                            public void onClose(WatcherException cause) {}
                          })));
    }

    private static WeightSplit split(HTTPRoute route) {
      long stable = 0;
      long canary = 0;
      for (var rule : route.getSpec().getRules()) {
        for (var ref : rule.getBackendRefs()) {
          int weight = ref.getWeight() == null ? 1 : ref.getWeight();
          if (LocalRegion.STABLE_SERVICE.equals(ref.getName())) {
            stable = weight;
          } else if (LocalRegion.CANARY_SERVICE.equals(ref.getName())) {
            canary = weight;
          }
        }
      }
      return stable + canary == 0 ? null : WeightSplit.ofRelative(stable, canary);
    }

    void reset() {
      changed.clear();
    }

    boolean allStable() {
      return allAt(WeightSplit.ALL_STABLE);
    }

    boolean allAt(WeightSplit split) {
      return REGIONS.stream().allMatch(r -> split.equals(weights.get(r)) && changed.containsKey(r));
    }

    Instant lastStable() {
      return lastChange();
    }

    Instant lastChange() {
      return changed.values().stream().max(Instant::compareTo).orElseThrow();
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }

  private static CanaryReleaseStatus status(io.fabric8.kubernetes.client.KubernetesClient hub) {
    CanaryRelease release =
        hub.resources(CanaryRelease.class).inNamespace(NS).withName(MODEL).get();
    return release == null ? null : release.getStatus();
  }

  private static RatingModel withModule(RatingModel model, byte[] module) {
    ModuleSource source = new ModuleSource();
    source.setInline(Base64.getEncoder().encodeToString(module));
    model.getSpec().setModule(source);
    return model;
  }

  private static RatingModel model(byte[] module) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName(MODEL).withNamespace(NS).build());
    RatingModelSpec spec = new RatingModelSpec();
    ModelLimitsSpec limits = new ModelLimitsSpec();
    limits.setTimeoutMillis(2000);
    spec.setLimits(limits);
    model.setSpec(spec);
    return withModule(model, module);
  }

  private static TenantConfig tenant() {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName(TENANT).withNamespace(NS).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef(MODEL));
    spec.setThreshold(650.0);
    tenant.setSpec(spec);
    return tenant;
  }

  private static CanaryRelease release(int intervalSeconds) {
    CanaryRelease release = new CanaryRelease();
    release.setMetadata(new ObjectMetaBuilder().withName(MODEL).withNamespace(NS).build());
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
    CanaryStepSpec step = new CanaryStepSpec();
    step.setWeight(STEP.percent().doubleValue());
    // Held long enough in the last region for the breach to start while it carries traffic.
    step.setPause((intervalSeconds * 3) + "s");
    spec.setSteps(List.of(step));
    CanaryAnalysisSpec analysis = new CanaryAnalysisSpec();
    analysis.setInterval(intervalSeconds + "s");
    analysis.setMinRequests(5L);
    analysis.setMaxErrorRatePercent(1.0);
    analysis.setProgressDeadline("5m");
    spec.setAnalysis(analysis);
    spec.setRegions(REGIONS);
    release.setSpec(spec);
    return release;
  }

  private static void await(BooleanSupplier condition, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }
}
