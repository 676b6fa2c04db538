package dev.clawrate.benchmarks;

import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.local.LocalCluster;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.engine.ModuleDigest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Base64;

/**
 * Propagation: the time from updating a RatingModel (the API call that changes its module) to the
 * rater answering with the new digest, over N updates, each a module never seen before. The API
 * server (fabric8 mock), the operator and one stable rater run in this JVM, as in the local run.
 * Usage: bench/propagation.sh [updates]
 */
public final class PropagationBenchmark {

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int updates = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    byte[] scorecard = ExampleScorecard.module();
    byte[] body = ExampleScorecard.applicant();
    try (LocalCluster cluster = LocalCluster.start(0);
        ClawrateOperator operator =
            new ClawrateOperator(
                cluster.newClient(),
                OperatorSettings.defaults(LocalCluster.NAMESPACE),
                new SimpleMeterRegistry(),
                ModuleFetcher.defaultHttpClient())) {
      operator.start();
      RaterMain rater =
          LocalCluster.startRater(cluster.newClient(), 0, Files.createTempDirectory("prop-"));
      KubernetesClient client = cluster.client();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest rate =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rater.port() + "/v1/rate"))
              .header("X-Tenant-Id", "acme-bank")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();

      byte[] first = ModuleVariants.variant(scorecard, "warm-up");
      client.resource(model(first)).create();
      client.resource(tenant()).create();
      awaitDigest(http, rate, ModuleDigest.of(first), 60_000);

      double[] millis = new double[updates];
      for (int i = 0; i < updates; i++) {
        byte[] next = ModuleVariants.variant(scorecard, "v" + i);
        String digest = ModuleDigest.of(next);
        long start = System.nanoTime();
        updateModule(client, next);
        awaitDigest(http, rate, digest, 30_000);
        millis[i] = (System.nanoTime() - start) / 1e6;
        System.out.printf("update %2d  %7.1f ms%n", i + 1, millis[i]);
      }
      System.out.println("propagation " + Stats.summary(millis) + "   target p99 <= 1000 ms");
      rater.close();
    }
  }

  /** Read, change, update with that resourceVersion; again if the operator wrote meanwhile. */
  private static void updateModule(KubernetesClient client, byte[] module) {
    var resource =
        client
            .resources(RatingModel.class)
            .inNamespace(LocalCluster.NAMESPACE)
            .withName("credit-scorecard");
    while (true) {
      RatingModel model = resource.get();
      model.getSpec().getModule().setInline(Base64.getEncoder().encodeToString(module));
      try {
        client.resource(model).update();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private static void awaitDigest(
      HttpClient http, HttpRequest rate, String digest, long timeoutMillis) throws Exception {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = http.send(rate, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 200 && answer.body().contains(digest)) {
        return;
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException(
        "not served with " + digest + " within " + timeoutMillis + " ms");
  }

  private static RatingModel model(byte[] module) {
    RatingModel model = new RatingModel();
    model.setMetadata(
        new ObjectMetaBuilder()
            .withName("credit-scorecard")
            .withNamespace(LocalCluster.NAMESPACE)
            .build());
    RatingModelSpec spec = new RatingModelSpec();
    ModuleSource source = new ModuleSource();
    source.setInline(Base64.getEncoder().encodeToString(module));
    spec.setModule(source);
    model.setSpec(spec);
    return model;
  }

  private static TenantConfig tenant() {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(
        new ObjectMetaBuilder()
            .withName("acme-bank")
            .withNamespace(LocalCluster.NAMESPACE)
            .build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef("credit-scorecard"));
    spec.setThreshold(650.0);
    tenant.setSpec(spec);
    return tenant;
  }
}
