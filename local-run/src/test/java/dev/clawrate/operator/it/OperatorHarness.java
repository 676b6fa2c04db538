package dev.clawrate.operator.it;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.api.ConfigMapKeyRef;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.egress.EgressPolicy;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.testing.RaterClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * A region for integration tests: the mock API server with the CRDs, the real operator, and real
 * stable raters in cluster mode serving HTTP and keeping heartbeats (renewed every second), in this
 * JVM or, to be killed without a shutdown, in a process of their own.
 */
final class OperatorHarness implements AutoCloseable {

  static final String NS = LocalCluster.NAMESPACE;

  private final LocalCluster cluster;
  private final Path stateDir;
  private final OperatorSettings settings;
  private final OkHttpClient http;
  // Each rater this harness started, in order, with the client it was given.
  private final Map<RaterMain, KubernetesClient> raters = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private int ratersStarted;
  private ClawrateOperator operator;
  private SimpleMeterRegistry registry;

  OperatorHarness(Path stateDir) {
    this(stateDir, settings());
  }

  /** The tests' settings: their servers listen on loopback, which they allow explicitly. */
  static OperatorSettings settings() {
    return OperatorSettings.defaults(NS)
        .withEgress(EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK));
  }

  OperatorHarness(Path stateDir, OperatorSettings settings) {
    this(LocalCluster.start(0), stateDir, settings);
  }

  /**
   * A harness whose operator downloads modules (and makes its other calls) through {@code http}.
   */
  OperatorHarness(Path stateDir, OkHttpClient http) {
    this(LocalCluster.start(0), stateDir, settings(), http);
  }

  /** A harness on {@code cluster}, which it closes. */
  OperatorHarness(LocalCluster cluster, Path stateDir, OperatorSettings settings) {
    this(cluster, stateDir, settings, ModuleFetcher.defaultHttpClient());
  }

  private OperatorHarness(
      LocalCluster cluster, Path stateDir, OperatorSettings settings, OkHttpClient http) {
    this.cluster = cluster;
    this.stateDir = stateDir;
    this.settings = settings;
    this.http = http;
    startOperator();
    startRater(cluster.url());
  }

  void startOperator() {
    registry = new SimpleMeterRegistry();
    operator = new ClawrateOperator(cluster.newClient(), settings, registry, http);
    operator.start();
  }

  void stopOperator() {
    operator.close();
    operator.client().close();
  }

  /** The operator's meters: reconcile counts tell when a restarted operator has caught up. */
  SimpleMeterRegistry meters() {
    return registry;
  }

  /**
   * A rater of this region, with a heartbeat renewed every second; its state dir is shared with
   * every rater this harness starts this way.
   */
  RaterMain startRater(String apiUrl, String... extraArgs) {
    return startRater(apiUrl, stateDir, extraArgs);
  }

  /** A rater with a state dir of its own, so what it serves comes from the cluster alone. */
  RaterMain startFreshRater(String... extraArgs) {
    return startRaterIn(cluster.url(), extraArgs);
  }

  /** A rater of another region, with a state dir of its own. */
  RaterMain startRaterIn(String apiUrl, String... extraArgs) {
    try {
      return startRater(apiUrl, Files.createTempDirectory(stateDir, "fresh-"), extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RaterMain startRater(String apiUrl, Path state, String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kube-sync-timeout-seconds",
                "2",
                "--heartbeat-seconds",
                "1",
                "--pod-name",
                "rater-" + ratersStarted++));
    args.addAll(List.of(extraArgs));
    // A rater does not close a client it is given: the harness closes it with the rater, or its
    // watches would go on reconnecting to API servers long stopped, in later tests.
    KubernetesClient client = LocalCluster.clientOf(apiUrl);
    try {
      RaterMain rater = LocalCluster.startRater(client, 0, state, args.toArray(String[]::new));
      raters.put(rater, client);
      return rater;
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException(e);
    }
  }

  /** Stops a rater as a rolling update would: it removes its heartbeat. */
  void stopRater(RaterMain rater) {
    KubernetesClient client = raters.remove(rater);
    rater.close();
    if (client != null) {
      client.close();
    }
  }

  /**
   * A rater in a JVM of its own, so a test can kill it with SIGKILL: no shutdown, no heartbeat
   * removed, as when a node dies.
   */
  Process startRaterProcess(String podName) {
    try {
      Path kubeconfig = cluster.writeKubeconfig(stateDir.resolve(podName + ".kubeconfig"));
      ProcessBuilder builder =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              "-Xmx256m",
              RaterMain.class.getName(),
              "--kube",
              "--namespace",
              NS,
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--health-port",
              "0",
              "--pod-name",
              podName,
              "--heartbeat-seconds",
              "1");
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().remove("POD_NAMESPACE");
      builder.redirectErrorStream(true);
      builder.redirectOutput(stateDir.resolve(podName + ".log").toFile());
      Process process = builder.start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KubernetesClient client() {
    return cluster.client();
  }

  LocalCluster cluster() {
    return cluster;
  }

  ClawrateOperator operator() {
    return operator;
  }

  /** The first rater still running. */
  RaterMain rater() {
    return raters.keySet().iterator().next();
  }

  RaterClient raterClient() {
    return new RaterClient(rater().port());
  }

  RatingModel applyModel(String name, byte[] module) {
    return applyModel(NS, name, inline(module), null);
  }

  RatingModel applyModel(String name, ModuleSource source) {
    return applyModel(NS, name, source, null);
  }

  static ModuleSource inline(byte[] module) {
    ModuleSource source = new ModuleSource();
    source.setInline(Base64.getEncoder().encodeToString(module));
    return source;
  }

  RatingModel applyModel(
      String namespace, String name, ModuleSource source, ModelLimitsSpec limits) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    RatingModelSpec spec = new RatingModelSpec();
    spec.setModule(source);
    spec.setLimits(limits);
    model.setSpec(spec);
    var resource = client().resources(RatingModel.class).inNamespace(namespace).withName(name);
    if (resource.get() == null) {
      return client().resource(model).create();
    }
    return updateSpec(resource, existing -> existing.setSpec(spec));
  }

  static ModuleSource fromConfigMap(String name, String key) {
    ModuleSource source = new ModuleSource();
    source.setConfigMapKeyRef(new ConfigMapKeyRef(name, key));
    return source;
  }

  TenantConfig applyTenant(String name, String model, double threshold) {
    return applyTenant(NS, name, null, model, threshold);
  }

  /**
   * @param tenantId null to serve the tenant under its name
   */
  TenantConfig applyTenant(
      String namespace, String name, String tenantId, String model, double threshold) {
    return applyTenant(namespace, name, tenantId, model, threshold, tenant -> {});
  }

  /** A tenant whose spec {@code edit} completes (regions, fallback...). */
  TenantConfig applyTenant(
      String name, String model, double threshold, Consumer<TenantConfig> edit) {
    return applyTenant(NS, name, null, model, threshold, edit);
  }

  private TenantConfig applyTenant(
      String namespace,
      String name,
      String tenantId,
      String model,
      double threshold,
      Consumer<TenantConfig> edit) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setTenantId(tenantId);
    spec.setModelRef(new ModelRef(model));
    spec.setThreshold(threshold);
    tenant.setSpec(spec);
    edit.accept(tenant);
    var resource = client().resources(TenantConfig.class).inNamespace(namespace).withName(name);
    if (resource.get() == null) {
      return client().resource(tenant).create();
    }
    return updateSpec(resource, existing -> existing.setSpec(spec));
  }

  RatingModel model(String name) {
    return client().resources(RatingModel.class).inNamespace(NS).withName(name).get();
  }

  TenantConfig tenant(String name) {
    return tenant(NS, name);
  }

  TenantConfig tenant(String namespace, String name) {
    return client().resources(TenantConfig.class).inNamespace(namespace).withName(name).get();
  }

  static Duration timeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * Read, change, update with the resourceVersion read, and again on a conflict: what kubectl edit
   * does while the operator writes status.
   */
  <T extends HasMetadata> T updateSpec(Resource<T> resource, Consumer<T> change) {
    for (int attempt = 0; ; attempt++) {
      T existing = resource.get();
      change.accept(existing);
      try {
        return client().resource(existing).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
    new ArrayList<>(raters.keySet()).forEach(this::stopRater);
    stopOperator();
    cluster.close();
  }
}
