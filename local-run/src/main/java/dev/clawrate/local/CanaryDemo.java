package dev.clawrate.local;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.operator.Threads;
import dev.clawrate.operator.api.CanaryRegionStatus;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.RatingModel;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code local --demo-canary}: sends steady traffic through every region's gateway, publishes a new
 * version of the sample model as a user would (its module with one more custom section: new bytes,
 * new digest, the same answers), and prints the release's phase and each region's weight as they
 * move, until it succeeds or rolls back. The traffic goes on after that, as live traffic would.
 */
final class CanaryDemo implements AutoCloseable {

  private static final String SECTION = "clawrate-demo";

  private final KubernetesClient client;
  private final String model;
  private final Consumer<String> out;
  private final TrafficDriver traffic;
  private final ScheduledExecutorService watcher = Threads.single("clawrate-canary-demo");
  // Watcher thread only.
  private String lastLine;
  private boolean published;

  private CanaryDemo(
      KubernetesClient client, String model, Consumer<String> out, TrafficDriver traffic) {
    this.client = client;
    this.model = model;
    this.out = out;
    this.traffic = traffic;
  }

  static CanaryDemo start(
      KubernetesClient client,
      Map<String, URI> gateways,
      String tenant,
      String body,
      String model,
      Consumer<String> out) {
    CanaryDemo demo =
        new CanaryDemo(client, model, out, TrafficDriver.start(gateways, tenant, body, 20));
    out.accept("demo: 20 requests/s for " + tenant + " through each gateway");
    demo.watcher.scheduleWithFixedDelay(demo::tick, 0, 250, TimeUnit.MILLISECONDS);
    return demo;
  }

  private void tick() {
    CanaryRelease release = client.resources(CanaryRelease.class).withName(model).get();
    CanaryReleaseStatus status = release == null ? null : release.getStatus();
    if (status == null || status.getStable() == null) {
      return;
    }
    if (!published) {
      publishNewVersion();
      published = true;
      return;
    }
    String line = line(status);
    if (!line.equals(lastLine)) {
      out.accept(line);
      lastLine = line;
    }
  }

  private void publishNewVersion() {
    RatingModel current = client.resources(RatingModel.class).withName(model).get();
    byte[] module = Base64.getDecoder().decode(current.getSpec().getModule().getInline());
    byte[] next = CustomSection.append(module, SECTION, Instant.now().toString());
    String digest = ModuleDigest.of(next);
    client
        .resources(RatingModel.class)
        .withName(model)
        .edit(
            m -> {
              m.getSpec().getModule().setInline(Base64.getEncoder().encodeToString(next));
              m.getSpec().getModule().setSha256(digest.substring("sha256:".length()));
              return m;
            });
    out.accept("demo: published " + model + " " + digest.substring(7, 19) + " (was stable)");
  }

  private static String line(CanaryReleaseStatus status) {
    List<String> regions = new ArrayList<>();
    if (status.getRegions() != null) {
      for (CanaryRegionStatus region : status.getRegions()) {
        regions.add(
            region.getName()
                + "="
                + (region.getWeight() == null ? "0" : region.getWeight())
                + "%"
                + (region.getState() == null ? "" : "(" + region.getState() + ")"));
      }
    }
    return "canary "
        + status.getPhase()
        + " "
        + String.join(" ", regions)
        + (status.getMessage() == null ? "" : "  " + status.getMessage());
  }

  @Override
  public void close() {
    watcher.shutdownNow();
    traffic.close();
  }
}
