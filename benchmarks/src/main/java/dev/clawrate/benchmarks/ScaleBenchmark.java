package dev.clawrate.benchmarks;

import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.local.CustomSection;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scale: M RatingModels (distinct small modules) and T TenantConfigs applied at once, to an
 * operator running in its own JVM (its jar, as in a pod) against the mock API server in this one.
 * Reports the time from the first apply to a published snapshot holding everything, the snapshot's
 * size as stored, and the operator's heap after a full GC. The operator's maximum heap is the
 * system property clawrate.scale.operator.heap (default 1g). Usage: bench/scale.sh [models]
 * [tenants]
 */
public final class ScaleBenchmark {

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int models = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path operatorJar =
        Path.of(
            System.getProperty("clawrate.operator.jar", "operator/target/clawrate-operator.jar"));
    byte[] base = ExampleScorecard.module();
    try (LocalCluster cluster = LocalCluster.start(0)) {
      Path work = Files.createTempDirectory("clawrate-scale-");
      Path kubeconfig = cluster.writeKubeconfig(work.resolve("kubeconfig"));
      KubernetesClient client = cluster.client();
      long applying = System.nanoTime();
      apply(client, base, models, tenants);
      double applySeconds = (System.nanoTime() - applying) / 1e9;
      int healthPort = freePort();
      long start = System.nanoTime();
      Process operator = startOperator(operatorJar, kubeconfig, healthPort, work);
      try {
        SnapshotDocument published = awaitPublished(client, models, tenants);
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        ConfigMap stored =
            client
                .configMaps()
                .inNamespace(LocalCluster.NAMESPACE)
                .withName(ClusterLayout.snapshotConfigMapName("stable"))
                .get();
        byte[] json = SnapshotCodec.write(published);
        long storedBytes = storedSize(stored);
        // Let the status writes that follow the publish settle before measuring the heap.
        Thread.sleep(10_000);
        run("jcmd", Long.toString(operator.pid()), "GC.run");
        Thread.sleep(1_000);
        double heapMiB = heapUsed(healthPort) / 1024.0 / 1024.0;
        System.out.printf(
            "scale models=%d tenants=%d  mock API server took %.1f s to accept them;"
                + " operator start to published snapshot %.1f s (target <= 20 s)%n",
            models, tenants, applySeconds, publishSeconds);
        System.out.printf(
            "snapshot revision=%d  json=%d bytes  stored=%d bytes as %s (ConfigMap limit 1048576)%n",
            published.revision(),
            json.length,
            storedBytes,
            stored.getBinaryData() != null && !stored.getBinaryData().isEmpty()
                ? "gzip binaryData"
                : "plain data");
        System.out.printf(
            "operator heap after full GC: %.1f MiB (target <= 256 MiB; -Xmx%s)%n",
            heapMiB, System.getProperty("clawrate.scale.operator.heap", "1g"));
        // What it cost the API server: the writes that are the operator's own doing.
        System.out.printf(
            "status writes: %.0f RatingModel, %.0f TenantConfig%n",
            sum(healthPort, "clawrate_operator_status_writes_total{", "kind=\"RatingModel\""),
            sum(healthPort, "clawrate_operator_status_writes_total{", "kind=\"TenantConfig\""));
      } finally {
        operator.destroy();
        operator.waitFor();
      }
    }
  }

  /**
   * The operator from its jar in a JVM of its own, as in a pod, against the API server the
   * kubeconfig names, logging to operator.log in {@code work}.
   */
  static Process startOperator(Path jar, Path kubeconfig, int healthPort, Path work)
      throws java.io.IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "-Xmx" + System.getProperty("clawrate.scale.operator.heap", "1g"),
                "-XX:+UseParallelGC",
                "-jar",
                jar.toString(),
                "--rater-namespace",
                LocalCluster.NAMESPACE,
                "--leader-election",
                "false",
                "--health-port",
                Integer.toString(healthPort))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("operator.log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("CLAWRATE_LOG_LEVEL", "WARN");
    return builder.start();
  }

  static void apply(KubernetesClient client, byte[] base, int models, int tenants)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int m = 0; m < models; m++) {
        int index = m;
        done.add(pool.submit(() -> client.resource(model(index, base)).create()));
      }
      for (int t = 0; t < tenants; t++) {
        int index = t;
        done.add(pool.submit(() -> client.resource(tenant(index, index % models)).create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static SnapshotDocument awaitPublished(KubernetesClient client, int models, int tenants)
      throws Exception {
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (System.nanoTime() < deadline) {
      ConfigMap configMap =
          client
              .configMaps()
              .inNamespace(LocalCluster.NAMESPACE)
              .withName(ClusterLayout.snapshotConfigMapName("stable"))
              .get();
      if (configMap != null) {
        SnapshotDocument document =
            SnapshotCodec.read(ClusterLayout.load(configMap.getData(), configMap.getBinaryData()));
        if (document.models().size() == models && document.tenants().size() == tenants) {
          return document;
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the snapshot never held everything");
  }

  private static long storedSize(ConfigMap configMap) {
    long size = 0;
    if (configMap.getData() != null) {
      for (String value : configMap.getData().values()) {
        size += value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      }
    }
    if (configMap.getBinaryData() != null) {
      for (String value : configMap.getBinaryData().values()) {
        size += Base64.getDecoder().decode(value).length;
      }
    }
    return size;
  }

  static RatingModel model(int index, byte[] base) {
    RatingModel model = new RatingModel();
    model.setMetadata(
        new ObjectMetaBuilder()
            .withName("model-" + index)
            .withNamespace(LocalCluster.NAMESPACE)
            .build());
    RatingModelSpec spec = new RatingModelSpec();
    ModuleSource source = new ModuleSource();
    source.setInline(
        Base64.getEncoder()
            .encodeToString(CustomSection.append(base, "clawrate.version", "m" + index)));
    spec.setModule(source);
    model.setSpec(spec);
    return model;
  }

  static TenantConfig tenant(int index, int model) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(
        new ObjectMetaBuilder()
            .withName("tenant-" + index)
            .withNamespace(LocalCluster.NAMESPACE)
            .build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef("model-" + model));
    spec.setThreshold(600.0 + index % 100);
    tenant.setSpec(spec);
    return tenant;
  }

  static void awaitReady(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("operator never became ready");
  }

  static double heapUsed(int port) throws Exception {
    return sum(port, "jvm_memory_used_bytes{", "area=\"heap\"");
  }

  /** The sum of the operator's samples of a metric whose lines start so and contain a label. */
  static double sum(int port, String prefix, String label) throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix) && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static void run(String... command) throws Exception {
    new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
  }

  static int freePort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
