package dev.clawrate.operator.it;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.alert.AlertSettings;
import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.AvailabilityObjectiveSpec;
import dev.clawrate.operator.api.BurnRateAlertSpec;
import dev.clawrate.operator.api.LatencyObjectiveSpec;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.SecretKeyRef;
import dev.clawrate.operator.api.TenantAlertingSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.api.TenantSloSpec;
import dev.clawrate.operator.egress.EgressPolicy;
import dev.clawrate.operator.metrics.DirectMetricsSource;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.rater.testing.RaterClient;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Two regions for alert tests, the hub ({@code local}) and {@code eu-west}, each a mock API server
 * with its raters; the real operator on the hub, evaluating SLOs every 200 ms from the raters'
 * metrics; and steady traffic straight to each region's stable rater, per tenant, with a body each
 * region can be given on its own (a long body makes the {@code hangs-long} fixture take its 50 ms
 * limit).
 */
final class AlertWorld implements AutoCloseable {

  static final String NS = LocalCluster.NAMESPACE;
  static final List<String> REGIONS = List.of("local", "eu-west");
  static final Duration INTERVAL = Duration.ofMillis(200);
  static final String FAST = "{\"applicantId\":\"A-1\"}";
  static final String SLOW = "{\"applicantId\":\"" + "A".repeat(600) + "\"}";
  static final String ROUTING_KEY = "R0utingKeyOfTheTestsOnly0123456";

  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<String, LocalCluster> clusters = new LinkedHashMap<>();
  private final Map<String, LocalRegion> regions = new LinkedHashMap<>();
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final ScheduledExecutorService traffic = new ScheduledThreadPoolExecutor(4);
  private final RecordingReceiver pagerDuty;
  private KubernetesClient operatorClient;
  private ClawrateOperator operator;
  private SimpleMeterRegistry meters;

  AlertWorld(Path dir, RecordingReceiver pagerDuty) throws Exception {
    this.pagerDuty = pagerDuty;
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
    meters = new SimpleMeterRegistry();
    operator =
        new ClawrateOperator(
            operatorClient,
            OperatorSettings.defaults(NS)
                // The receivers of the tests listen on loopback, over plain http.
                .withEgress(EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK))
                .withAlerts(
                    new AlertSettings(INTERVAL, URI.create(pagerDuty.url("/v2/enqueue")), true)),
            meters,
            ModuleFetcher.defaultHttpClient(),
            new DirectMetricsSource(urls));
    operator.start();
  }

  void stopOperator() {
    operator.close();
    operatorClient.close();
    operator = null;
  }

  /** SLO evaluation rounds the running operator has completed. */
  long rounds() {
    Timer timer = meters.find("clawrate.operator.slo.evaluation").timer();
    return timer == null ? 0 : timer.count();
  }

  LocalCluster hub() {
    return clusters.get(ClawrateOperator.LOCAL_REGION);
  }

  KubernetesClient client() {
    return hub().client();
  }

  void namespace(String name) {
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  void secret(String namespace, String name, String key, String value) {
    LocalCluster.createSecret(client(), namespace, name, key, value);
  }

  void model(String namespace, String name, byte[] module) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    RatingModelSpec spec = new RatingModelSpec();
    spec.setModule(OperatorHarness.inline(module));
    ModelLimitsSpec limits = new ModelLimitsSpec();
    // A long input makes the hangs-long fixture loop until this limit: 60 ms, however fast or
    // loaded the machine, well above the 25 ms the tests' latency objective allows.
    limits.setTimeoutMillis(60);
    spec.setLimits(limits);
    model.setSpec(spec);
    client().resource(model).create();
  }

  /** What a test tenant is watched for. */
  enum Watch {
    /** 99% of requests within 25 ms, and not availability. */
    LATENCY,
    /** 99.9% of requests not 5xx, and not latency. */
    AVAILABILITY
  }

  /** A tenant watched for one objective with windows of a few seconds, and these receivers. */
  void tenant(
      String namespace, String name, String model, Watch watch, List<AlertReceiverSpec> receivers) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef(model));
    spec.setThreshold(650.0);
    TenantSloSpec slo = new TenantSloSpec();
    AvailabilityObjectiveSpec availability = new AvailabilityObjectiveSpec();
    availability.setDisabled(watch != Watch.AVAILABILITY);
    slo.setAvailability(availability);
    LatencyObjectiveSpec latency = new LatencyObjectiveSpec();
    latency.setDisabled(watch != Watch.LATENCY);
    latency.setObjectivePercent(99.0);
    latency.setThreshold("25ms");
    slo.setLatency(latency);
    slo.setMinRequests(10L);
    slo.setPage(rule("4s", "1s", 14.4));
    slo.setTicket(rule("20s", "2s", 6.0));
    spec.setSlo(slo);
    TenantAlertingSpec alerting = new TenantAlertingSpec();
    alerting.setReceivers(receivers);
    spec.setAlerting(alerting);
    tenant.setSpec(spec);
    client().resource(tenant).create();
  }

  private static BurnRateAlertSpec rule(String longWindow, String shortWindow, double burnRate) {
    BurnRateAlertSpec rule = new BurnRateAlertSpec();
    rule.setLongWindow(longWindow);
    rule.setShortWindow(shortWindow);
    rule.setBurnRate(burnRate);
    return rule;
  }

  static AlertReceiverSpec receiver(String name, String type, String secret, String... severities) {
    AlertReceiverSpec receiver = new AlertReceiverSpec();
    receiver.setName(name);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey("value");
    switch (type) {
      case "slack" -> receiver.setSlack(ref);
      case "pagerduty" -> receiver.setPagerduty(ref);
      default -> receiver.setWebhook(ref);
    }
    if (severities.length > 0) {
      receiver.setSeverities(List.of(severities));
    }
    return receiver;
  }

  TenantConfig tenantConfig(String namespace, String name) {
    return client().resources(TenantConfig.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Sends the tenant's requests to every region's stable rater, 10 a second each: few enough that a
   * region's requests that spin to their time limit leave the other regions' raters, on the same
   * two cores, the CPU they need.
   */
  void traffic(String tenant) {
    for (String region : REGIONS) {
      bodies.put(tenant + "@" + region, FAST);
      RaterClient rater = new RaterClient(regions.get(region).stable().port());
      traffic.scheduleAtFixedRate(
          () -> {
            try {
              rater.rate(tenant, bodies.get(tenant + "@" + region));
            } catch (RuntimeException e) {
              // A request that fails is what SLOs are about; the traffic goes on.
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
    }
  }

  /** What the tenant's requests to the region carry from now on. */
  void body(String tenant, String region, String body) {
    bodies.put(tenant + "@" + region, body);
  }

  @Override
  public void close() {
    traffic.shutdownNow();
    if (operator != null) {
      stopOperator();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // Closing the rest matters more than this one's failure.
      }
    }
  }
}
