package dev.clawrate.benchmarks;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.local.CustomSection;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.RatingModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A member region rebuilt at scale: the hub (fabric8 mock) holds M RatingModels and T
 * TenantConfigs, two member regions (mock API servers) are registered by their Secrets, and the
 * operator runs from its jar in its own JVM, as in a pod. Once all three regions hold everything,
 * one member's API server is replaced by an empty one on the same address, as a rebuilt cluster
 * would be, and the benchmark reports:
 *
 * <ul>
 *   <li>time from the empty server answering to its snapshot holding every model and tenant (the
 *       snapshot only names modules already written there, so every module is there too);
 *   <li>meanwhile, a model update's time to reach the hub's and the other member's snapshots,
 *       against the same figure measured before the rebuild (the baseline of this run), and with
 *       both cores kept busy by two spinning threads (a control: what CPU contention alone costs on
 *       this machine, where three API servers, the operator and the benchmark share 2 cores);
 *   <li>the operator's heap after a full GC with three regions at that scale.
 * </ul>
 *
 * <p>Usage: bench/regions.sh [models] [tenants]
 */
public final class RegionRebuildBenchmark {

  private static final String MEMBER = "us-east";
  private static final String OTHER = "eu-west";

  private RegionRebuildBenchmark() {}

  public static void main(String[] args) throws Exception {
    int models = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path operatorJar =
        Path.of(
            System.getProperty("clawrate.operator.jar", "operator/target/clawrate-operator.jar"));
    byte[] base = ExampleScorecard.module();
    LocalCluster hub = LocalCluster.start(0);
    LocalCluster other = LocalCluster.start(0);
    LocalCluster member = LocalCluster.start(0);
    Process operator = null;
    try {
      Path work = Files.createTempDirectory("clawrate-regions-");
      Path kubeconfig = hub.writeKubeconfig(work.resolve("kubeconfig"));
      long applying = System.nanoTime();
      ScaleBenchmark.apply(hub.client(), base, models, tenants);
      System.out.printf(
          "hub: %d models and %d tenants accepted in %.1f s%n",
          models, tenants, (System.nanoTime() - applying) / 1e9);
      LocalCluster.registerRegion(hub.client(), OTHER, other);
      LocalCluster.registerRegion(hub.client(), MEMBER, member);
      int healthPort = ScaleBenchmark.freePort();
      long start = System.nanoTime();
      operator = ScaleBenchmark.startOperator(operatorJar, kubeconfig, healthPort, work);
      for (LocalCluster region : List.of(hub, other, member)) {
        awaitComplete(region.client(), models, tenants, 900);
      }
      System.out.printf(
          "operator start to all 3 regions holding everything: %.1f s%n",
          (System.nanoTime() - start) / 1e9);

      double quiet = awaitQuiet(healthPort);
      System.out.printf(
          "status writes settled after %.1f s more (the updates below are not queued behind them)%n",
          quiet);

      List<Double> before = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        before.add(updateToHubAndOther(hub, other, base, "before-" + i));
      }

      // A control for what follows: the same updates while two threads keep both cores busy, so
      // a slowdown during the rebuild can be told apart from a region waiting on another.
      List<Double> busy = new ArrayList<>();
      AtomicBoolean spinning = new AtomicBoolean(true);
      List<Thread> spinners = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread spinner =
            new Thread(
                () -> {
                  long x = 0;
                  while (spinning.get()) {
                    x += System.nanoTime() % 7;
                  }
                  if (x == 42) {
                    System.out.print("");
                  }
                },
                "bench-spinner-" + i);
        spinner.setDaemon(true);
        spinner.start();
        spinners.add(spinner);
      }
      try {
        for (int i = 0; i < 5; i++) {
          busy.add(updateToHubAndOther(hub, other, base, "busy-" + i));
        }
      } finally {
        spinning.set(false);
        for (Thread spinner : spinners) {
          spinner.join();
        }
      }

      int port = member.port();
      member.stop();
      member = LocalCluster.start(port);
      long rebuilt = System.nanoTime();
      LocalCluster empty = member;
      AtomicBoolean converged = new AtomicBoolean();
      CompletableFuture<Double> convergence =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  awaitComplete(empty.client(), models, tenants, 600);
                  return (System.nanoTime() - rebuilt) / 1e9;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                } finally {
                  converged.set(true);
                }
              });
      List<Double> during = new ArrayList<>();
      for (int i = 0; !converged.get() || during.isEmpty(); i++) {
        during.add(updateToHubAndOther(hub, other, base, "during-" + i));
      }
      double convergeSeconds = convergence.get();
      long modulesThere =
          empty.client().configMaps().inNamespace(LocalCluster.NAMESPACE).list().getItems().stream()
              .filter(c -> c.getMetadata().getName().startsWith("clawrate-model-"))
              .count();

      Thread.sleep(10_000);
      ScaleBenchmark.run("jcmd", Long.toString(operator.pid()), "GC.run");
      Thread.sleep(1_000);
      double heapMiB = ScaleBenchmark.heapUsed(healthPort) / 1024.0 / 1024.0;

      System.out.printf(
          "%s rebuilt empty: holds all %d models (%d module ConfigMaps) and %d tenants after"
              + " %.1f s (target <= 30 s)%n",
          MEMBER, models, modulesThere, tenants, convergeSeconds);
      System.out.println(
          "model update -> hub and "
              + OTHER
              + " snapshots, before the rebuild: "
              + Stats.summary(before.stream().mapToDouble(Double::doubleValue).toArray()));
      System.out.println(
          "model update -> hub and "
              + OTHER
              + " snapshots, during it:          "
              + Stats.summary(during.stream().mapToDouble(Double::doubleValue).toArray()));
      System.out.println(
          "model update -> hub and "
              + OTHER
              + " snapshots, both cores kept busy: "
              + Stats.summary(busy.stream().mapToDouble(Double::doubleValue).toArray()));
      System.out.printf(
          "ratio of the p50s (during / busy cores alone): %.2fx%n",
          Stats.percentile(during.stream().mapToDouble(Double::doubleValue).toArray(), 50)
              / Stats.percentile(busy.stream().mapToDouble(Double::doubleValue).toArray(), 50));
      System.out.printf(
          "ratio of the p50s (during / before): %.2fx%n",
          Stats.percentile(during.stream().mapToDouble(Double::doubleValue).toArray(), 50)
              / Stats.percentile(before.stream().mapToDouble(Double::doubleValue).toArray(), 50));
      System.out.printf(
          "operator heap after full GC, 3 regions: %.1f MiB (target <= 512 MiB)%n", heapMiB);
    } finally {
      if (operator != null) {
        operator.destroy();
        operator.waitFor();
      }
      member.close();
      other.close();
      hub.close();
    }
  }

  /**
   * Gives model-0 a module never seen before and waits until the hub's and the other member's
   * snapshots name it.
   *
   * @return milliseconds
   */
  private static double updateToHubAndOther(
      LocalCluster hub, LocalCluster other, byte[] base, String variant) throws Exception {
    byte[] module = CustomSection.append(base, "clawrate.version", variant);
    String digest = ModuleDigest.of(module);
    KubernetesClient client = hub.client();
    long start = System.nanoTime();
    while (true) {
      RatingModel model =
          client
              .resources(RatingModel.class)
              .inNamespace(LocalCluster.NAMESPACE)
              .withName("model-0")
              .get();
      model.getSpec().getModule().setInline(Base64.getEncoder().encodeToString(module));
      try {
        client.resource(model).update();
        break;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    for (LocalCluster region : List.of(hub, other)) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (!digest.equals(modelDigest(region.client(), "model-0"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(variant + " never reached a region");
        }
        Thread.sleep(20);
      }
    }
    return (System.nanoTime() - start) / 1e6;
  }

  /**
   * Waits until the operator's status writes have stopped for 5 s: a cold start at this scale
   * writes a status per resource, and a model update measured meanwhile waits behind them.
   *
   * @return seconds waited
   */
  private static double awaitQuiet(int healthPort) throws Exception {
    long start = System.nanoTime();
    double last = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < 5_000_000_000L) {
      double writes =
          ScaleBenchmark.sum(healthPort, "clawrate_operator_status_writes_total{", "kind=");
      if (writes != last) {
        last = writes;
        stableSince = System.nanoTime();
      }
      Thread.sleep(500);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static SnapshotDocument snapshot(KubernetesClient client) throws Exception {
    ConfigMap configMap =
        client
            .configMaps()
            .inNamespace(LocalCluster.NAMESPACE)
            .withName(ClusterLayout.snapshotConfigMapName("stable"))
            .get();
    return configMap == null
        ? null
        : SnapshotCodec.read(ClusterLayout.load(configMap.getData(), configMap.getBinaryData()));
  }

  private static String modelDigest(KubernetesClient client, String model) throws Exception {
    SnapshotDocument document = snapshot(client);
    return document == null || !document.models().containsKey(model)
        ? null
        : document.models().get(model).digest();
  }

  private static void awaitComplete(
      KubernetesClient client, int models, int tenants, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        SnapshotDocument document = snapshot(client);
        if (document != null
            && document.models().size() == models
            && document.tenants().size() == tenants) {
          return;
        }
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        // the server is still starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("a region's snapshot never held everything");
  }
}
