package dev.clawrate.operator;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.operator.alert.AlertBook;
import dev.clawrate.operator.alert.AlertDispatcher;
import dev.clawrate.operator.alert.AlertEvaluator;
import dev.clawrate.operator.alert.ReceiverResolver;
import dev.clawrate.operator.alert.TenantAlerts;
import dev.clawrate.operator.alert.notify.DeliverySettings;
import dev.clawrate.operator.alert.notify.NotificationSender;
import dev.clawrate.operator.canary.CanaryMetrics;
import dev.clawrate.operator.canary.CanaryReleaseReconciler;
import dev.clawrate.operator.canary.ReleaseAnalyzer;
import dev.clawrate.operator.canary.ReleasePins;
import dev.clawrate.operator.egress.EgressClients;
import dev.clawrate.operator.egress.EgressPolicy;
import dev.clawrate.operator.metrics.MetricsSource;
import dev.clawrate.operator.metrics.PodProxyMetricsSource;
import dev.clawrate.operator.metrics.PrometheusEndpoint;
import dev.clawrate.operator.metrics.PrometheusMetricsSource;
import dev.clawrate.operator.model.ModuleCheck;
import dev.clawrate.operator.model.ModuleDownloads;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.operator.model.RatingModelReconciler;
import dev.clawrate.operator.model.ValidatedModels;
import dev.clawrate.operator.publish.ModuleLibrary;
import dev.clawrate.operator.publish.RegionPublisher;
import dev.clawrate.operator.publish.RegionPublishers;
import dev.clawrate.operator.publish.RenderScheduler;
import dev.clawrate.operator.region.RegionRegistry;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.served.RegionHealth;
import dev.clawrate.operator.served.ServedTracker;
import dev.clawrate.operator.status.EventRecorder;
import dev.clawrate.operator.status.StatusWriter;
import dev.clawrate.operator.tenancy.ClaimStore;
import dev.clawrate.operator.tenant.TenantConfigReconciler;
import dev.clawrate.operator.world.WorldCache;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator, wired: the RatingModel and TenantConfig controllers (java-operator-sdk), the cache
 * the snapshot is rendered from, the claims of global names, the publisher that writes the snapshot
 * to the local region and repairs it, and the tracker of what the region's raters serve. Used by
 * {@code OperatorMain}, by the local run, and by the integration tests alike.
 */
public final class ClawrateOperator implements AutoCloseable {

  public static final String LOCAL_REGION = RegionPublishers.HUB;

  private static final Logger LOG = LoggerFactory.getLogger(ClawrateOperator.class);

  /** Environment variable holding the bearer token for the Prometheus of --prometheus-url. */
  public static final String PROMETHEUS_TOKEN_ENV = "CLAWRATE_PROMETHEUS_TOKEN";

  /** Recent modules held in memory for regions that lack them; the region caches hold the rest. */
  private static final long MODULE_LIBRARY_BYTES = 64L * 1024 * 1024;

  /**
   * Module downloads at once: each may hold its thread for the download's whole time limit, off the
   * reconcile threads; more models with URLs wait their turn in the queue.
   */
  private static final int DOWNLOAD_THREADS = 4;

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final AtomicBoolean leader;
  private final WorldCache world;
  private final ClaimStore claims;
  private final RegionPublishers regions;
  private final RenderScheduler scheduler;
  private final RegionRegistry registry;
  private final ServedTracker served;
  private final Operator operator;
  private final ExecutorService routeCalls;
  private final ExecutorService downloadThreads;
  private final NotificationSender notifications;
  private final AlertEvaluator evaluator;

  public ClawrateOperator(
      KubernetesClient client, OperatorSettings settings, MeterRegistry meters, OkHttpClient http) {
    this(client, settings, meters, http, null);
  }

  /**
   * @param http the operator's HTTP client: tenants' module URLs are downloaded through it guarded
   *     by the settings' egress policy, the Prometheus the operator's own options name is queried
   *     through it as it is
   * @param metrics where canary analyses read the raters' metrics, or null for what the settings
   *     name: Prometheus where its URLs are given, else each rater pod through its API server
   */
  public ClawrateOperator(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry meters,
      OkHttpClient http,
      MetricsSource metrics) {
    this.client = client;
    this.settings = settings;
    this.leader = new AtomicBoolean(!settings.leaderElection());
    Clock clock = Clock.systemUTC();
    // The world, the claims and the regions ask the scheduler for renders and hand them around; it
    // is built right after them.
    RenderScheduler[] holder = new RenderScheduler[1];
    RegionPublishers[] regionHolder = new RegionPublishers[1];
    ModuleLibrary library =
        new ModuleLibrary(
            MODULE_LIBRARY_BYTES,
            () -> regionHolder[0].all().stream().map(RegionPublisher::target).toList());
    this.regions =
        new RegionPublishers(
            new RegionPublisher.Shared(
                () -> holder[0].latest(),
                library,
                leader::get,
                settings.moduleGcGrace(),
                settings.regionSyncGrace(),
                clock,
                meters));
    regionHolder[0] = regions;
    this.world = new WorldCache(client, settings.watchNamespace(), () -> holder[0].request());
    this.claims = new ClaimStore(client, settings.operatorNamespace(), () -> holder[0].request());
    this.scheduler =
        new RenderScheduler(
            world,
            claims,
            regions,
            () -> ReleasePins.governed(world.canaryReleases()),
            leader::get,
            settings.publishQuiet(),
            settings.publishMaxDelay());
    holder[0] = scheduler;
    EventRecorder events = new EventRecorder(client, clock);
    this.registry =
        new RegionRegistry(
            client,
            settings.operatorNamespace(),
            settings.raterNamespace(),
            new RegionRegistry.Connections() {
              @Override
              public void connect(String region, Config config, String namespace) {
                regions.connect(
                    region,
                    new KubernetesClientBuilder().withConfig(config).build(),
                    namespace,
                    true);
              }

              @Override
              public void disconnect(String region) {
                regions.disconnect(region);
              }
            },
            events,
            leader::get,
            meters);
    this.served =
        new ServedTracker(
            () ->
                regions.all().stream()
                    .map(
                        region ->
                            new ServedTracker.Region(
                                region.name(),
                                region::publication,
                                track -> region.target().heartbeats().live(track)))
                    .toList(),
            SnapshotCodec.TRACK_STABLE);
    regions.addListener(keys -> served.refresh());
    regions.addRatersListener(served::refresh);
    StatusWriter statusWriter = new StatusWriter(client, meters);
    ValidatedModels validated = new ValidatedModels();
    MetricsSource raterMetrics = metrics != null ? metrics : defaultMetrics(settings, http);
    // The tenant reconciler writes what the alerts change, and is built after them.
    TenantConfigReconciler[] tenantHolder = new TenantConfigReconciler[1];
    Consumer<Set<ResourceKey>> wakeTenants =
        keys -> {
          if (tenantHolder[0] != null) {
            tenantHolder[0].wake(keys);
          }
        };
    AlertBook book = new AlertBook();
    EgressPolicy egress = settings.egress();
    AlertDispatcher dispatcher =
        new AlertDispatcher(
            book,
            new ReceiverResolver(
                client,
                HttpUrl.get(settings.alerts().pagerDuty()),
                settings.alerts().plainHttpReceivers(),
                url ->
                    egress
                        .refusalOfHost(url.host())
                        .map(
                            refusal ->
                                "refused by the operator's egress policy: " + refusal.phrase())
                        .orElse(null)),
            key -> wakeTenants.accept(Set.of(key)),
            clock);
    this.notifications =
        new NotificationSender(
            EgressClients.guarded(http, egress),
            clock,
            DeliverySettings.defaults(),
            meters,
            dispatcher);
    dispatcher.sendWith(notifications);
    this.evaluator =
        new AlertEvaluator(
            settings.alerts().interval(),
            new AlertEvaluator.World(
                world::tenants, world::canaryReleases, claims::current, this::regionHealth),
            raterMetrics,
            () -> leader.get() && served.ready(),
            book,
            dispatcher,
            wakeTenants,
            clock,
            meters);
    var tenantReconciler =
        new TenantConfigReconciler(
            served,
            world,
            validated,
            statusWriter,
            events,
            new TenantAlerts(book, dispatcher, evaluator::figures, settings.alerts().interval()),
            clock);
    tenantHolder[0] = tenantReconciler;
    ModuleFetcher fetcher =
        new ModuleFetcher(client, EgressClients.guarded(http, settings.egress()));
    this.downloadThreads = Threads.pool("clawrate-module-downloads", DOWNLOAD_THREADS);
    var modelReconciler =
        new RatingModelReconciler(
            fetcher,
            new ModuleDownloads(fetcher, downloadThreads),
            new ModuleCheck(),
            regions,
            library,
            served,
            world,
            statusWriter,
            events,
            validated,
            tenantReconciler::wake,
            clock);
    this.routeCalls = Threads.pool("clawrate-canary-routes", 8);
    var canaryReconciler =
        new CanaryReleaseReconciler(
            world,
            regions,
            scheduler::latest,
            new ReleaseAnalyzer(raterMetrics),
            new CanaryMetrics(meters),
            statusWriter,
            events,
            routeCalls,
            clock);
    world.onCanaryReleaseDeleted(
        release -> {
          if (leader.get()) {
            canaryReconciler.deleted(release);
          }
        });
    // One bad object is skipped, never fatal; how many are skipped is worth an alert.
    for (String kind : List.of("RatingModel", "TenantConfig", "CanaryRelease")) {
      Gauge.builder("clawrate.operator.resources.unreadable", world, w -> w.unreadable(kind))
          .description("Custom resources whose spec or status this operator cannot read")
          .tag("kind", kind)
          .register(meters);
    }
    meters.config().meterFilter(new OperatorSdkMeterDescriptions());
    this.operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // The mock API server used in tests and local runs has no server-side apply;
                  // updates guarded by resourceVersion run the same path everywhere.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meters));
              if (settings.leaderElection()) {
                overrider.withLeaderElectionConfiguration(leaderElection(settings));
              }
            });
    operator.register(modelReconciler, o -> namespaces(o, settings));
    operator.register(tenantReconciler, o -> namespaces(o, settings));
    operator.register(canaryReconciler, o -> namespaces(o, settings));
  }

  /**
   * Prometheus where the settings name its URLs (a bearer token, if it needs one, comes from the
   * environment, never the command line), else each rater pod through its region's API server.
   */
  private MetricsSource defaultMetrics(OperatorSettings settings, OkHttpClient http) {
    if (!settings.prometheusUrls().isEmpty()) {
      String token = System.getenv(PROMETHEUS_TOKEN_ENV);
      Map<String, PrometheusEndpoint> endpoints = new TreeMap<>();
      settings
          .prometheusUrls()
          .forEach(
              (region, url) ->
                  endpoints.put(
                      region,
                      new PrometheusEndpoint(
                          url.toString(),
                          token == null || token.isBlank() ? null : token.strip(),
                          settings.raterNamespace())));
      return new PrometheusMetricsSource(
          http, endpoints, Clock.systemUTC(), PrometheusMetricsSource.MAX_ANSWER_BYTES);
    }
    return new PodProxyMetricsSource(
        region -> {
          RegionPublisher publisher = regions.get(region);
          return publisher == null
              ? null
              : new PodProxyMetricsSource.RaterNamespace(
                  publisher.target().client(), publisher.target().namespace());
        });
  }

  private static void namespaces(
      io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> overrider,
      OperatorSettings settings) {
    if (settings.watchNamespace() != null) {
      overrider.settingNamespaces(Set.of(settings.watchNamespace()));
    }
  }

  private LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    String identity = System.getenv().getOrDefault("POD_NAME", "clawrate-" + UUID.randomUUID());
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              LOG.atInfo().addKeyValue("identity", identity).log("became leader");
              leader.set(true);
              scheduler.request();
              registry.leading();
            },
            () -> {
              LOG.atWarn().addKeyValue("identity", identity).log("lost leadership");
              leader.set(false);
            },
            newLeader -> LOG.atInfo().addKeyValue("leader", newLeader).log("leader observed"));
    return new LeaderElectionConfiguration(
        OperatorSettings.LEASE_NAME,
        settings.operatorNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        identity,
        callbacks,
        true);
  }

  public void start() {
    world.start();
    claims.start();
    if (settings.localRegion()) {
      regions.connect(RegionPublishers.HUB, client, settings.raterNamespace(), false);
    }
    registry.start();
    operator.start();
    evaluator.start();
    scheduler.request();
    LOG.atInfo()
        .addKeyValue("raterNamespace", settings.raterNamespace())
        .addKeyValue(
            "watchNamespace", settings.watchNamespace() == null ? "*" : settings.watchNamespace())
        .addKeyValue("leaderElection", settings.leaderElection())
        .log("operator started");
  }

  /**
   * Whether the caches are filled and this replica may publish. A member region that does not
   * answer does not make the operator unready: it is reported in status and metrics instead.
   */
  public boolean ready() {
    RegionPublisher hub = regions.hub();
    return world.synced()
        && claims.synced()
        && registry.synced()
        && (hub == null || hub.target().synced());
  }

  /** Whether this replica publishes (it holds the leader Lease, or runs without election). */
  public boolean leader() {
    return leader.get();
  }

  /** Whether no render is pending and no region has a publish queued or running. */
  public boolean idle() {
    return scheduler.idle() && regions.idle();
  }

  /** How each region is doing, the hub's first. */
  public List<RegionHealth> regionHealth() {
    return regions.all().stream().map(RegionPublisher::health).toList();
  }

  /** The regions published to, as they come and go. */
  public RegionPublishers regions() {
    return regions;
  }

  /** What the raters serve, as status is computed from it. */
  public ServedTracker served() {
    return served;
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    evaluator.close();
    notifications.close();
    operator.stop();
    served.close();
    registry.close();
    scheduler.close();
    regions.close();
    claims.close();
    world.close();
    routeCalls.shutdownNow();
    downloadThreads.shutdownNow();
  }
}
