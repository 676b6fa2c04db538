package dev.clawrate.operator.local;

import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.HealthServer;
import dev.clawrate.operator.OperatorOptions;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.rater.RaterMain;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code java -jar clawrate-operator.jar local}: a whole clawrate on one machine. An embedded
 * Kubernetes API server with the CRDs, the operator, one stable rater in cluster mode, and the
 * example resources applied as a user would with kubectl; it runs until Ctrl-C.
 */
public final class LocalRun implements AutoCloseable {

  static final List<String> EXAMPLES =
      List.of(
          "model-credit-scorecard.yaml",
          "model-risk-tier.yaml",
          "tenant-acme-bank.yaml",
          "tenant-globex-lending.yaml");

  private final LocalCluster cluster;
  private final ClawrateOperator operator;
  private final HealthServer health;
  private final RaterMain rater;
  private final Path workDir;

  private LocalRun(OperatorOptions options) throws Exception {
    workDir = Files.createTempDirectory("clawrate-local-");
    cluster = LocalCluster.start(options.apiPort());
    say("api-server http://" + hostPort(cluster.url()) + " (fabric8 mock, CRUD mode)");
    Path kubeconfig = cluster.writeKubeconfig(workDir.resolve("kubeconfig"));
    say(
        "kubeconfig "
            + kubeconfig
            + "   (export KUBECONFIG="
            + kubeconfig
            + "; kubectl get rmodel,tenant; kubectl apply --validate=false -f ...)");

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator =
        new ClawrateOperator(
            cluster.newClient(),
            OperatorSettings.defaults(LocalCluster.NAMESPACE),
            registry,
            ModuleFetcher.defaultHttpClient());
    health = new HealthServer(0, operator::ready, registry);
    health.start();
    operator.start();
    say("operator http://127.0.0.1:" + health.port() + "/metrics");

    rater =
        LocalCluster.startRater(
            cluster.newClient(), options.raterPort(), workDir.resolve("rater-stable"));
    say(
        "rater "
            + ClawrateOperator.LOCAL_REGION
            + "/stable http://127.0.0.1:"
            + rater.port()
            + "/v1/rate   (health, metrics, models: http://127.0.0.1:"
            + rater.healthPort()
            + "/v1/models)");
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

  /** Waits until the sample tenant is rated; fails after {@code timeout}. */
  void awaitSampleRating(Duration timeout) throws Exception {
    byte[] applicant;
    try (InputStream in = example("applicant.json")) {
      applicant = in.readAllBytes();
    }
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rater.port() + "/v1/rate"))
            .header("X-Tenant-Id", "acme-bank")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(applicant))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sample tenant was not rated within " + timeout + ": " + response.body());
      }
      Thread.sleep(25);
    }
  }

  public int raterPort() {
    return rater.port();
  }

  public LocalCluster cluster() {
    return cluster;
  }

  private static InputStream example(String name) throws IOException {
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

  private static String hostPort(String url) {
    return URI.create(url).getAuthority();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  @Override
  public void close() {
    rater.close();
    operator.close();
    health.close();
    cluster.close();
    try (Stream<Path> files = Files.walk(workDir)) {
      List<Path> paths = new ArrayList<>(files.toList());
      paths.sort((a, b) -> b.getNameCount() - a.getNameCount());
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("could not remove " + workDir + ": " + e.getMessage());
    }
  }

  /** Starts everything, prints what it started, and runs until the JVM is stopped. */
  public static void main(OperatorOptions options) throws Exception {
    LocalRun run = new LocalRun(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  run.close();
                  stopped.countDown();
                },
                "clawrate-local-shutdown"));
    run.applyExamples();
    run.awaitSampleRating(Duration.ofSeconds(60));
    say("ready");
    say(
        "curl -s http://127.0.0.1:"
            + run.raterPort()
            + "/v1/rate -H 'X-Tenant-Id: acme-bank' -H 'Content-Type: application/json'"
            + " -d @examples/requests/applicant.json");
    stopped.await();
  }
}
