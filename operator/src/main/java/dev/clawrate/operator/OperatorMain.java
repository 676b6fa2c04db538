package dev.clawrate.operator;

import dev.clawrate.operator.model.ModuleFetcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: the operator against a cluster (the local run has its own jar). */
public final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorOptions options;
    try {
      options = OperatorOptions.parse(args);
    } catch (OperatorOptions.UsageException e) {
      if (e.getMessage() == null) {
        System.out.print(OperatorOptions.usage());
        System.exit(0);
      }
      System.err.println("error: " + e.getMessage());
      System.err.print(OperatorOptions.usage());
      System.exit(2);
      return;
    }
    runInCluster(options);
  }

  private static void runInCluster(OperatorOptions options) throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    String namespace = raterNamespace(options, client);
    boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
    OperatorSettings settings =
        OperatorSettings.defaults(namespace)
            .withWatchNamespace(options.watchNamespace())
            .withLeaderElection(
                options.leaderElection() == null ? inCluster : options.leaderElection())
            .withModuleGcGrace(options.moduleGcGrace())
            .withLocalRegion(options.localRegion())
            .withPrometheusUrls(options.prometheusUrls())
            .withEgress(options.egressPolicy())
            .withAlerts(options.alerts());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    ClawrateOperator operator =
        new ClawrateOperator(client, settings, registry, ModuleFetcher.defaultHttpClient());
    HealthServer health =
        new HealthServer(
            options.healthPort(),
            operator::ready,
            registry,
            operator::regionHealth,
            operator::leader);
    health.start();
    operator.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.atInfo().log("operator shutting down");
                  operator.close();
                  health.close();
                  client.close();
                  stopped.countDown();
                },
                "clawrate-shutdown"));
    stopped.await();
  }

  static String raterNamespace(OperatorOptions options, KubernetesClient client) {
    if (options.raterNamespace() != null) {
      return options.raterNamespace();
    }
    String pod = System.getenv("POD_NAMESPACE");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    return client.getNamespace() == null ? "default" : client.getNamespace();
  }
}
