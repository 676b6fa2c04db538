package dev.clawrate.benchmarks;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.local.CustomSection;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.operator.status.ConditionSet;
import dev.clawrate.rater.RaterMain;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Propagation through the closed loop, with the hub's API server (fabric8 mock), the operator and R
 * stable raters (default 2) in this JVM, as in the local run, over N updates of the sample
 * scorecard, each a module never seen before; with G regions (default 1), G-1 more API servers,
 * each with R raters, registered in the hub by their region Secrets:
 *
 * <ul>
 *   <li>update of the RatingModel to the hub's first rater swapping it in;
 *   <li>update to the first rater of every region answering with the new digest;
 *   <li>update to the RatingModel reporting Ready=True with every rater of every region serving it
 *       (heartbeats);
 *   <li>the snapshot ConfigMap deleted by hand to both raters serving a higher revision;
 *   <li>baseline, same run: a ConfigMap update to a second client's watch seeing it, the floor any
 *       controller built on this API server pays per hop.
 * </ul>
 *
 * <p>Five updates run unmeasured before the measured ones, to warm the JIT up.
 *
 * <p>Usage: bench/propagation.sh [updates] [deletions] [raters] [regions]
 */
public final class PropagationBenchmark {

  private static final String MODEL = "credit-scorecard";
  private static final int WARM_UP_UPDATES = 5;

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int updates = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int deletions = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int raterCount = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int regionCount = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    byte[] scorecard = ExampleScorecard.module();
    byte[] body = ExampleScorecard.applicant();
    List<LocalCluster> members = new ArrayList<>();
    for (int i = 1; i < regionCount; i++) {
      members.add(LocalCluster.start(0));
    }
    try (LocalCluster cluster = LocalCluster.start(0);
        ClawrateOperator operator =
            new ClawrateOperator(
                cluster.newClient(),
                OperatorSettings.defaults(LocalCluster.NAMESPACE),
                new SimpleMeterRegistry(),
                ModuleFetcher.defaultHttpClient())) {
      operator.start();
      List<RaterMain> raters = startRaters(cluster, raterCount, "local");
      // The first rater of each region, the hub's first: what "served everywhere" waits for.
      List<RaterMain> firstOfEach = new ArrayList<>(List.of(raters.get(0)));
      List<RaterMain> all = new ArrayList<>(raters);
      for (int i = 0; i < members.size(); i++) {
        String region = "region-" + (i + 1);
        List<RaterMain> inRegion = startRaters(members.get(i), raterCount, region);
        firstOfEach.add(inRegion.get(0));
        all.addAll(inRegion);
        LocalCluster.registerRegion(cluster.client(), region, members.get(i));
      }
      KubernetesClient client = cluster.client();
      HttpClient http = HttpClient.newHttpClient();
      List<HttpRequest> rates = firstOfEach.stream().map(r -> rateRequest(r, body)).toList();
      HttpRequest rate = rates.get(0);
      ReadyWatch ready = new ReadyWatch(all.size());
      try (Watch watch =
          client.resources(RatingModel.class).inNamespace(LocalCluster.NAMESPACE).watch(ready)) {
        byte[] first = CustomSection.append(scorecard, "clawrate.version", "warm-up");
        client.resource(model(first)).create();
        client.resource(tenant()).create();
        awaitDigest(http, rate, ModuleDigest.of(first), 60_000);
        ready.await(ModuleDigest.of(first), 60_000);
        // Unmeasured rounds first, as JMH warms up: the first updates run the path's code for the
        // first time in this JVM (class loading, JIT), which no long-running operator pays again.
        for (int i = 0; i < WARM_UP_UPDATES; i++) {
          byte[] next = CustomSection.append(scorecard, "clawrate.version", "warm-up-" + i);
          updateModule(client, next);
          ready.await(ModuleDigest.of(next), 60_000);
        }

        double[] swapped = new double[updates];
        double[] served = new double[updates];
        double[] readyMillis = new double[updates];
        for (int i = 0; i < updates; i++) {
          byte[] next = CustomSection.append(scorecard, "clawrate.version", "v" + i);
          String digest = ModuleDigest.of(next);
          long start = System.nanoTime();
          updateModule(client, next);
          RaterMain watched = raters.get(0);
          await(
              () -> digest.equals(watched.live().current().models().get(MODEL).digest()),
              30_000,
              "rater swaps in " + digest);
          swapped[i] = (System.nanoTime() - start) / 1e6;
          for (HttpRequest inRegion : rates) {
            awaitDigest(http, inRegion, digest, 30_000);
          }
          served[i] = (System.nanoTime() - start) / 1e6;
          readyMillis[i] = (ready.await(digest, 30_000) - start) / 1e6;
          System.out.printf(
              "update %2d  swapped %7.1f ms  served %7.1f ms  ready %7.1f ms%n",
              i + 1, swapped[i], served[i], readyMillis[i]);
        }

        double[] repaired = new double[deletions];
        for (int i = 0; i < deletions; i++) {
          long before = highestLive(raters);
          long start = System.nanoTime();
          client
              .configMaps()
              .inNamespace(LocalCluster.NAMESPACE)
              .withName(ClusterLayout.snapshotConfigMapName("stable"))
              .delete();
          await(() -> lowestLive(raters) > before, 30_000, "raters serve a higher revision");
          repaired[i] = (System.nanoTime() - start) / 1e6;
          System.out.printf(
              "deletion %2d  raters at revision %d after %7.1f ms%n",
              i + 1, lowestLive(raters), repaired[i]);
        }

        double[] floor = watchFloor(cluster, Math.max(updates, 20));

        System.out.println();
        System.out.println("apply -> hub rater swaps it in    " + Stats.summary(swapped));
        System.out.println(
            "apply -> served in "
                + regionCount
                + " region(s)     "
                + Stats.summary(served)
                + (regionCount > 1 ? "   target p99 <= 1000 ms" : "   target p99 <= 500 ms"));
        System.out.println(
            "apply -> Ready=True, all "
                + all.size()
                + " raters "
                + Stats.summary(readyMillis)
                + "   target p99 <= 1000 ms");
        System.out.println(
            "snapshot deleted -> new revision  "
                + Stats.summary(repaired)
                + "   target <= 2000 ms");
        System.out.println("baseline: write -> watch event    " + Stats.summary(floor));
        System.out.printf(
            "ratios to the baseline p50: served %.1fx, ready %.1fx, repaired %.1fx%n",
            Stats.percentile(served, 50) / Stats.percentile(floor, 50),
            Stats.percentile(readyMillis, 50) / Stats.percentile(floor, 50),
            Stats.percentile(repaired, 50) / Stats.percentile(floor, 50));
      }
      all.forEach(RaterMain::close);
    } finally {
      members.forEach(LocalCluster::close);
    }
  }

  private static List<RaterMain> startRaters(LocalCluster cluster, int count, String region)
      throws Exception {
    List<RaterMain> raters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      raters.add(
          LocalCluster.startRater(
              cluster.newClient(),
              0,
              Files.createTempDirectory("prop-"),
              "--pod-name",
              "bench-rater-" + region + "-" + i));
    }
    return raters;
  }

  private static HttpRequest rateRequest(RaterMain rater, byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rater.port() + "/v1/rate"))
        .header("X-Tenant-Id", "acme-bank")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static long highestLive(List<RaterMain> raters) {
    return raters.stream().mapToLong(r -> r.live().current().revision()).max().orElse(-1);
  }

  private static long lowestLive(List<RaterMain> raters) {
    return raters.stream().mapToLong(r -> r.live().current().revision()).min().orElse(-1);
  }

  /** When the model first reported Ready with the digest and every rater serving it. */
  private static final class ReadyWatch implements Watcher<RatingModel> {
    private final String raters;
    private final ConcurrentHashMap<String, Long> readyAt = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CountDownLatch> latches = new ConcurrentHashMap<>();

    ReadyWatch(int raters) {
      this.raters = raters + "/" + raters;
    }

    @Override
    public void eventReceived(Action action, RatingModel model) {
      long now = System.nanoTime();
      var status = model.getStatus();
      if (status == null
          || status.getDigest() == null
          || !raters.equals(status.getRaters())
          || !ConditionSet.isTrue(status.getConditions(), ClawrateApi.READY)) {
        return;
      }
      if (readyAt.putIfAbsent(status.getDigest(), now) == null) {
        latch(status.getDigest()).countDown();
      }
    }

    private CountDownLatch latch(String digest) {
      return latches.computeIfAbsent(digest, d -> new CountDownLatch(1));
    }

    long await(String digest, long timeoutMillis) throws InterruptedException {
      if (!latch(digest).await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(digest + " not Ready within " + timeoutMillis + " ms");
      }
      return readyAt.get(digest);
    }

    @Override
    public void onClose(WatcherException cause) {}
  }

  /** A ConfigMap update seen by another client's watch: one API-server hop, N times. */
  private static double[] watchFloor(LocalCluster cluster, int samples) throws Exception {
    KubernetesClient writer = cluster.newClient();
    KubernetesClient reader = cluster.newClient();
    ConfigMap probe =
        writer
            .configMaps()
            .inNamespace(LocalCluster.NAMESPACE)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("bench-probe")
                    .endMetadata()
                    .addToData("n", "0")
                    .build())
            .create();
    ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    double[] millis = new double[samples];
    try (Watch watch =
        reader
            .configMaps()
            .inNamespace(LocalCluster.NAMESPACE)
            .withName("bench-probe")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    seen.putIfAbsent(resource.getData().get("n"), System.nanoTime());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      for (int i = 1; i <= samples; i++) {
        String n = Integer.toString(i);
        long start = System.nanoTime();
        probe =
            writer
                .configMaps()
                .inNamespace(LocalCluster.NAMESPACE)
                .resource(new ConfigMapBuilder(probe).addToData("n", n).build())
                .update();
        await(() -> seen.containsKey(n), 10_000, "watch sees update " + n);
        millis[i - 1] = (seen.get(n) - start) / 1e6;
      }
    } finally {
      writer.close();
      reader.close();
    }
    return millis;
  }

  private static void await(BooleanSupplier condition, long timeoutMillis, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + timeoutMillis + " ms");
      }
      Thread.sleep(1);
    }
  }

  /** Read, change, update with that resourceVersion; again if the operator wrote meanwhile. */
  private static void updateModule(KubernetesClient client, byte[] module) {
    var resource =
        client.resources(RatingModel.class).inNamespace(LocalCluster.NAMESPACE).withName(MODEL);
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
        new ObjectMetaBuilder().withName(MODEL).withNamespace(LocalCluster.NAMESPACE).build());
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
    spec.setModelRef(new ModelRef(MODEL));
    spec.setThreshold(650.0);
    tenant.setSpec(spec);
    return tenant;
  }
}
