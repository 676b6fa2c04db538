package dev.clawrate.local;

import dev.clawrate.contract.logging.LogSetup;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.HealthServer;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.alert.AlertSettings;
import dev.clawrate.operator.egress.EgressPolicy;
import dev.clawrate.operator.metrics.DirectMetricsSource;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.operator.region.RegionNames;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.http.PortInUseException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar clawrate-local.jar}: a whole clawrate on one machine, in three regions. The
 * hub's embedded Kubernetes API server with the CRDs and the operator; two more API servers for the
 * member regions {@code eu-west} and {@code us-east}, registered in the hub by their region
 * Secrets; in each region a stable and a canary rater in cluster mode, the HTTPRoute callers reach
 * them through and a stand-in gateway that follows its weights; and the example resources applied
 * to the hub as a user would with kubectl, a CanaryRelease of the sample model among them. It runs
 * until Ctrl-C.
 */
public final class LocalRun implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);

  static final List<String> EXAMPLES =
      List.of(
          "model-credit-scorecard.yaml",
          "model-risk-tier.yaml",
          "model-always-traps.yaml",
          "tenant-acme-bank.yaml",
          "tenant-globex-lending.yaml",
          "canary-credit-scorecard.yaml");

  static final String SAMPLE_TENANT = "acme-bank";

  /** The model the example CanaryRelease governs. */
  static final String SAMPLE_MODEL = "credit-scorecard";

  /** The member regions the local run starts beside the hub's own, {@code local}. */
  static final List<String> MEMBER_REGIONS = List.of("eu-west", "us-east");

  /** The Secret holding the demo receiver's URL, which the sample tenant's webhook names. */
  static final String ALERT_SECRET = "acme-bank-alerts";

  /** How often the local run evaluates SLOs: often enough for the example's 10 s window. */
  static final Duration ALERT_INTERVAL = Duration.ofSeconds(2);

  /** Requests per second to each region for the sample tenant, so its SLOs have traffic. */
  static final int SAMPLE_TRAFFIC = 5;

  /** A region's stable rater. */
  record RegionRater(String region, RaterMain rater) {}

  /** How long the examples may take to be published and served. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** A start-up failure its user can fix, said in one line. */
  static final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailure(String message) {
      super(message);
    }
  }

  private final Path workDir;
  private final PrintStream out;
  private final CountDownLatch closed = new CountDownLatch(1);
  // Each is set once its component runs; close() stops those that are set, newest first. Guarded
  // by this: a Ctrl-C during start-up closes from the shutdown hook's thread.
  private LocalCluster cluster;
  // Each region's API server (the hub's first), the client its rater watches with, and the rater.
  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<RegionRater> raters = new ArrayList<>();
  private final Map<String, LocalRegion> regions = new LinkedHashMap<>();
  private KubernetesClient operatorClient;
  private ClawrateOperator operator;
  private HealthServer health;
  private boolean closing;

  /**
   * @param tmpParent where the run's working directory (kubeconfig, the rater's state) is made
   * @param out where the run's own lines go
   */
  LocalRun(Path tmpParent, PrintStream out) throws IOException {
    this.workDir = Files.createTempDirectory(tmpParent, "clawrate-local-");
    this.out = out;
  }

  /**
   * Starts everything, applies the examples, waits until the sample tenant is rated, then says how
   * to use it. A run that fails has stopped all it started and removed its directory.
   *
   * @throws StartFailure for what its user can fix, e.g. a port in use
   */
  void start(LocalOptions options) throws Exception {
    try {
      startComponents(options);
      applyExamples();
      awaitSampleRating(READY_TIMEOUT);
    } catch (Exception e) {
      close();
      throw e;
    }
    say("ready");
    say(
        "export KUBECONFIG="
            + workDir.resolve("kubeconfig")
            + "   (then: kubectl get rmodel,tenant,canary; kubectl explain ratingmodel.spec; kubectl apply -f ...)");
    say(
        "curl -s http://127.0.0.1:"
            + raterPort()
            + "/v1/rate -H 'X-Tenant-Id: "
            + SAMPLE_TENANT
            + "' -H 'Content-Type: application/json' -d @examples/requests/applicant.json");
    startSampleTraffic();
    if (options.demoCanary()) {
      startDemo();
    }
  }

  /** A few requests a second for the sample tenant in every region: what its SLOs judge. */
  private void startSampleTraffic() throws IOException {
    Map<String, URI> gateways = new LinkedHashMap<>();
    regions.forEach((name, region) -> gateways.put(name, region.gatewayUrl()));
    String applicant;
    try (InputStream in = example("applicant.json")) {
      applicant = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    TrafficDriver traffic = TrafficDriver.start(gateways, SAMPLE_TENANT, applicant, SAMPLE_TRAFFIC);
    synchronized (this) {
      started.add(traffic);
    }
    say(
        "traffic "
            + SAMPLE_TRAFFIC
            + "/s per region for "
            + SAMPLE_TENANT
            + "   (its SLOs judge it; try: kubectl patch tenant "
            + SAMPLE_TENANT
            + " --type merge -p '{\"spec\":{\"modelRef\":{\"name\":\"always-traps\"}}}')");
  }

  /** Traffic through every gateway, and a new version of the sample model through its release. */
  private void startDemo() throws Exception {
    Map<String, URI> gateways = new LinkedHashMap<>();
    regions.forEach((name, region) -> gateways.put(name, region.gatewayUrl()));
    String applicant;
    try (InputStream in = example("applicant.json")) {
      applicant = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    CanaryDemo demo =
        CanaryDemo.start(
            cluster.client(), gateways, SAMPLE_TENANT, applicant, SAMPLE_MODEL, this::say);
    synchronized (this) {
      started.add(demo);
    }
  }

  private void startComponents(LocalOptions options) throws Exception {
    LocalCluster hub;
    try {
      hub = LocalCluster.start(options.apiPort());
    } catch (RuntimeException e) {
      if (causedBy(e, BindException.class)) {
        throw new StartFailure(portInUse(options.apiPort(), "--api-port"));
      }
      throw e;
    }
    synchronized (this) {
      cluster = hub;
      started.add(hub);
    }
    say("api-server http://" + URI.create(hub.url()).getAuthority() + " (fabric8 mock, CRUD mode)");
    hub.writeKubeconfig(workDir.resolve("kubeconfig"));
    startRegion(ClawrateOperator.LOCAL_REGION, hub, options.raterPort());
    for (String region : MEMBER_REGIONS) {
      LocalCluster member = LocalCluster.start(0);
      synchronized (this) {
        started.add(member);
      }
      say(
          "api-server "
              + region
              + " http://"
              + URI.create(member.url()).getAuthority()
              + " (fabric8 mock, CRUD mode)");
      startRegion(region, member, 0);
      LocalCluster.registerRegion(hub.client(), region, member);
      say("applied Secret region-" + region + " (label " + RegionNames.LABEL + "=" + region + ")");
    }

    DemoAlertReceiver receiver = DemoAlertReceiver.start(this::say);
    synchronized (this) {
      started.add(receiver);
    }
    LocalCluster.createSecret(
        hub.client(), LocalCluster.NAMESPACE, ALERT_SECRET, "url", receiver.url().toString());
    say(
        "alert receiver "
            + receiver.url()
            + "   (Secret "
            + ALERT_SECRET
            + ": "
            + SAMPLE_TENANT
            + "'s webhook; one line per notification)");

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    synchronized (this) {
      operatorClient = hub.newClient();
      operator =
          new ClawrateOperator(
              operatorClient,
              OperatorSettings.defaults(LocalCluster.NAMESPACE)
                  // Everything of a local run listens on loopback, its users' model servers too.
                  .withEgress(options.egressPolicy().allowing(EgressPolicy.LOOPBACK))
                  // The demo receiver is plain http on loopback; the example's windows are short.
                  .withAlerts(
                      new AlertSettings(ALERT_INTERVAL, options.alerts().pagerDuty(), true)),
              registry,
              ModuleFetcher.defaultHttpClient(),
              new DirectMetricsSource(metricsUrls()));
      health =
          new HealthServer(0, operator::ready, registry, operator::regionHealth, operator::leader);
    }
    health.start();
    operator.start();
    say(
        "operator http://127.0.0.1:"
            + health.port()
            + "/metrics   (region health: http://127.0.0.1:"
            + health.port()
            + "/v1/regions)");
  }

  /** Starts the region's stable and canary raters, its route and its gateway. */
  private void startRegion(String region, LocalCluster regionCluster, int port) throws Exception {
    LocalRegion started;
    try {
      started = LocalRegion.start(region, regionCluster, workDir, port, LocalRegion.exampleRoute());
    } catch (PortInUseException e) {
      throw new StartFailure(
          e.listener() == PortInUseException.Listener.RATING
              ? portInUse(e.port(), "--rater-port")
              : RaterMain.portInUse(e));
    }
    synchronized (this) {
      this.started.add(started);
      regions.put(region, started);
      raters.add(new RegionRater(region, started.stable()));
    }
    for (RaterMain rater : List.of(started.stable(), started.canary())) {
      say(
          "rater "
              + region
              + "/"
              + (rater == started.stable() ? "stable" : "canary")
              + " http://127.0.0.1:"
              + rater.port()
              + "/v1/rate   (health, metrics, models: http://127.0.0.1:"
              + rater.healthPort()
              + "/v1/models)");
    }
    say(
        "gateway "
            + region
            + " "
            + started.gatewayUrl()
            + "   (follows HTTPRoute "
            + LocalRegion.ROUTE
            + ": stable and canary by their weights)");
  }

  /** Each region's raters' {@code /metrics}, which canary analyses read here. */
  private Map<String, Map<String, List<String>>> metricsUrls() {
    Map<String, Map<String, List<String>>> urls = new LinkedHashMap<>();
    regions.forEach((name, region) -> urls.put(name, region.metricsUrls()));
    return urls;
  }

  static String portInUse(int port, String option) {
    return "port " + port + " is in use; pass " + option + " 0 to pick a free one";
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Applies the example models and tenants to the embedded API server. */
  void applyExamples() throws IOException {
    KubernetesClient client = cluster.client();
    for (String name : EXAMPLES) {
      try (InputStream in = example(name)) {
        HasMetadata resource = (HasMetadata) client.getKubernetesSerialization().unmarshal(in);
        resource.getMetadata().setNamespace(LocalCluster.NAMESPACE);
        client.resource(resource).create();
        say("applied " + resource.getKind() + " " + resource.getMetadata().getName());
      }
    }
  }

  /** Waits until the sample tenant is rated in every region; fails after {@code timeout}. */
  void awaitSampleRating(Duration timeout) throws Exception {
    byte[] applicant;
    try (InputStream in = example("applicant.json")) {
      applicant = in.readAllBytes();
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RegionRater regionRater : raters) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + regionRater.rater().port() + "/v1/rate"))
              .header("X-Tenant-Id", SAMPLE_TENANT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(applicant))
              .build();
      while (true) {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new StartFailure(
              "tenant "
                  + SAMPLE_TENANT
                  + " was not rated in region "
                  + regionRater.region()
                  + " within "
                  + timeout.toSeconds()
                  + " s; its rater last answered "
                  + response.statusCode()
                  + " (see the log above)");
        }
        Thread.sleep(25);
      }
    }
  }

  /** A client of the hub's API server, as a user's kubectl would be. */
  KubernetesClient hubClient() {
    return cluster.client();
  }

  /** The stable rater of each region, the hub's first. */
  List<RegionRater> raters() {
    return List.copyOf(raters);
  }

  public int raterPort() {
    return raters.get(0).rater().port();
  }

  public int raterHealthPort() {
    return raters.get(0).rater().healthPort();
  }

  Path workDir() {
    return workDir;
  }

  static InputStream example(String name) throws IOException {
    // Prefer the checkout's examples, so edits show; the jar carries a copy for elsewhere.
    for (Path dir : List.of(Path.of("examples/resources"), Path.of("examples/requests"))) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        return Files.newInputStream(file);
      }
    }
    InputStream in = LocalRun.class.getClassLoader().getResourceAsStream("examples/" + name);
    if (in == null) {
      throw new IOException("example " + name + " not found");
    }
    return in;
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  /** Waits until {@link #close()} has run, from any thread. */
  void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops whatever runs, newest first, and removes the working directory. */
  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    closeQuietly(operator, "operator");
    closeQuietly(operatorClient, "the operator's Kubernetes client");
    closeQuietly(health, "the operator's health server");
    for (int i = started.size() - 1; i >= 0; i--) {
      closeQuietly(started.get(i), "a region's rater, client or api-server");
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      List<Path> paths = new ArrayList<>(files.toList());
      paths.sort((a, b) -> b.getNameCount() - a.getNameCount());
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("dir", workDir)
          .addKeyValue("error", e.toString())
          .log("could not remove the local run's directory");
    }
    closed.countDown();
  }

  private static void closeQuietly(AutoCloseable component, String what) {
    if (component == null) {
      return;
    }
    try {
      component.close();
    } catch (Exception e) {
      LOG.atWarn()
          .addKeyValue("component", what)
          .addKeyValue("error", e.toString())
          .log("stopping a component of the local run failed");
    }
  }

  /**
   * Runs until the JVM is stopped.
   *
   * @return 0 once stopped, or the exit status of a run that could not start (which has said why in
   *     one line on {@code err} and left nothing behind)
   */
  static int run(LocalOptions options, Path tmpParent, PrintStream out, PrintStream err) {
    LocalRun run;
    try {
      run = new LocalRun(tmpParent, out);
    } catch (IOException e) {
      err.println("error: cannot make a working directory in " + tmpParent + ": " + e);
      return 1;
    }
    Thread hook = new Thread(run::close, "clawrate-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      run.start(options);
    } catch (StartFailure e) {
      forget(hook);
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      forget(hook);
      LOG.atError().setCause(e).log("the local run failed to start");
      return 1;
    }
    try {
      run.awaitClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Drops the shutdown hook of a run that closed itself; during shutdown there is none to drop. */
  private static void forget(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      LOG.atDebug().log("shutting down already; the hook closes nothing more");
    }
  }

  /** The {@code local} command: its exit status when it could not start, else 0 once stopped. */
  public static int main(LocalOptions options) {
    // The JDK's HTTP server (the gateways', the operator's health port) writes a response's
    // headers and body apart; without TCP_NODELAY each answer through a gateway waits out the
    // client's delayed ACK, some 40 ms. Read once, when the first such server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    LogSetup.quietLibraries();
    return run(options, Path.of(System.getProperty("java.io.tmpdir")), System.out, System.err);
  }
}
