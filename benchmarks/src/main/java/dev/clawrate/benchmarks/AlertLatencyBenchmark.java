package dev.clawrate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.alert.AlertSettings;
import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.BurnRateAlertSpec;
import dev.clawrate.operator.api.LatencyObjectiveSpec;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.SecretKeyRef;
import dev.clawrate.operator.api.TenantAlertingSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.api.TenantSloSpec;
import dev.clawrate.operator.egress.EgressPolicy;
import dev.clawrate.operator.metrics.DirectMetricsSource;
import dev.clawrate.operator.model.ModuleFetcher;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Time from the start of an injected breach to the page, with test windows: two regions (the hub
 * and eu-west, each a mock API server with its raters), the operator evaluating SLOs every
 * interval, and a tenant on a model that traps on long inputs, fed 50 requests a second per region
 * straight to its raters. Each round switches eu-west's requests to long inputs (every one fails:
 * the availability SLO burns at 1000x) and measures from the first failing answer to the page
 * reaching a webhook receiver (Alertmanager payload), then switches back and measures from the
 * first good answer to the resolve. Rounds are a long window apart so each starts from a clean
 * window.
 *
 * <p>Baselines in the same run: the evaluation interval (a polling evaluator cannot page sooner
 * than its next round) and one POST to the same receiver (delivery alone).
 *
 * <p>Usage: {@code AlertLatencyBenchmark <rounds> <interval ms> <short window s> <long window s>
 * <fixtures dir>}
 */
public final class AlertLatencyBenchmark {

  private static final List<String> REGIONS = List.of("local", "eu-west");
  private static final String NS = LocalCluster.NAMESPACE;
  private static final String TENANT = "acme";
  private static final String FAST = "{\"applicantId\":\"A-1\"}";
  private static final String LONG = "{\"applicantId\":\"" + "A".repeat(600) + "\"}";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One notification as the receiver got it. */
  private record Received(long nanos, String status, String alert) {}

  private AlertLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    int rounds = Integer.parseInt(args[0]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[1]));
    int shortWindow = Integer.parseInt(args[2]);
    int longWindow = Integer.parseInt(args[3]);
    byte[] module = Files.readAllBytes(Path.of(args[4]).resolve("trap-long.wasm"));
    Path dir = Files.createTempDirectory("alert-bench-");
    List<AutoCloseable> started = new ArrayList<>();
    ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    HttpServer receiver = receiver(received);
    started.add(() -> receiver.stop(0));
    ScheduledExecutorService traffic = Executors.newScheduledThreadPool(4);
    started.add(traffic::shutdownNow);
    try {
      Map<String, LocalCluster> clusters = new LinkedHashMap<>();
      Map<String, LocalRegion> regions = new LinkedHashMap<>();
      for (String name : REGIONS) {
        LocalCluster cluster = LocalCluster.start(0);
        started.add(cluster);
        clusters.put(name, cluster);
        LocalRegion region =
            LocalRegion.start(
                name, cluster, dir, 0, LocalRegion.exampleRoute(), "--heartbeat-seconds", "1");
        started.add(region);
        regions.put(name, region);
        if (!name.equals("local")) {
          LocalCluster.registerRegion(clusters.get("local").client(), name, cluster);
        }
      }
      Map<String, Map<String, List<String>>> urls = new LinkedHashMap<>();
      regions.forEach((name, region) -> urls.put(name, region.metricsUrls()));
      KubernetesClient hub = clusters.get("local").client();
      String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts";
      ClawrateOperator operator =
          new ClawrateOperator(
              clusters.get("local").newClient(),
              OperatorSettings.defaults(NS)
                  .withEgress(EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK))
                  .withAlerts(
                      new AlertSettings(
                          interval, URI.create("https://events.pagerduty.com/v2/enqueue"), true)),
              new SimpleMeterRegistry(),
              ModuleFetcher.defaultHttpClient(),
              new DirectMetricsSource(urls));
      started.add(operator);
      operator.start();
      LocalCluster.createSecret(hub, NS, "acme-hook", "url", hook);
      hub.resource(model(module)).create();
      hub.resource(tenant(shortWindow, longWindow)).create();

      Map<String, String> bodies = new java.util.concurrent.ConcurrentHashMap<>();
      AtomicLong firstFailure = new AtomicLong();
      AtomicLong firstSuccess = new AtomicLong();
      HttpClient http = HttpClient.newHttpClient();
      for (String region : REGIONS) {
        bodies.put(region, FAST);
        URI rate =
            URI.create("http://127.0.0.1:" + regions.get(region).stable().port() + "/v1/rate");
        traffic.scheduleAtFixedRate(
            () -> {
              try {
                HttpResponse<Void> answer =
                    http.send(
                        HttpRequest.newBuilder(rate)
                            .header("X-Tenant-Id", TENANT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(region)))
                            .build(),
                        HttpResponse.BodyHandlers.discarding());
                long now = System.nanoTime();
                if (!region.equals("eu-west")) {
                  return;
                }
                if (answer.statusCode() >= 500) {
                  firstFailure.compareAndSet(0, now);
                } else if (answer.statusCode() == 200) {
                  firstSuccess.compareAndSet(0, now);
                }
              } catch (IOException e) {
                // The next request tries again.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            0,
            20,
            TimeUnit.MILLISECONDS);
      }
      await(() -> summary(hub).equals("OK"), 120, "the tenant is judged OK");

      double[] toPage = new double[rounds];
      double[] toResolve = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        Thread.sleep(longWindow * 1000L + interval.toMillis());
        received.clear();
        // Until the switch every eu-west answer succeeds, so the first failure after it is the
        // breach's start.
        firstFailure.set(0);
        bodies.put("eu-west", LONG);
        Received page = awaitReceived(received, "firing", "availability-page", longWindow + 60);
        toPage[i] = (page.nanos() - firstFailure.get()) / 1e6;
        // Until the switch every eu-west answer fails, so the first success after it is the fix's.
        firstSuccess.set(0);
        bodies.put("eu-west", FAST);
        Received resolve =
            awaitReceived(received, "resolved", "availability-page", longWindow + 60);
        toResolve[i] = (resolve.nanos() - firstSuccess.get()) / 1e6;
        System.out.printf(
            "round %2d  first failing answer -> page %7.1f ms   first good answer -> resolve %7.1f"
                + " ms%n",
            i + 1, toPage[i], toResolve[i]);
      }
      double[] delivery = new double[20];
      for (int i = 0; i < delivery.length; i++) {
        long start = System.nanoTime();
        http.send(
            HttpRequest.newBuilder(URI.create(hook))
                .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\":[]}"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        delivery[i] = (System.nanoTime() - start) / 1e6;
      }
      double target = shortWindow * 1000.0 + interval.toMillis();
      System.out.println("breach -> page:   " + Stats.summary(toPage));
      System.out.println("fix -> resolve:   " + Stats.summary(toResolve));
      System.out.println("baseline, one POST to the receiver: " + Stats.summary(delivery));
      System.out.printf(
          "baseline, the evaluation interval: %d ms; page p50 / interval: %.2fx%n",
          interval.toMillis(), Stats.percentile(toPage, 50) / interval.toMillis());
      System.out.printf(
          "target: breach -> page <= short window + interval = %.0f ms; max %.1f ms (%s)%n",
          target,
          Stats.percentile(toPage, 100),
          Stats.percentile(toPage, 100) <= target ? "met" : "missed");
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    }
  }

  private static HttpServer receiver(ConcurrentLinkedQueue<Received> received) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            long now = System.nanoTime();
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            for (JsonNode alert : body.path("alerts")) {
              received.add(
                  new Received(
                      now,
                      alert.path("status").asText(),
                      alert.path("labels").path("alert").asText()));
            }
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    return server;
  }

  private static Received awaitReceived(
      ConcurrentLinkedQueue<Received> received, String status, String alert, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      for (Received each : received) {
        if (each.status().equals(status) && each.alert().equals(alert)) {
          return each;
        }
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no " + status + " " + alert + " within " + seconds + " s");
  }

  private static String summary(KubernetesClient hub) {
    TenantConfig tenant = hub.resources(TenantConfig.class).inNamespace(NS).withName(TENANT).get();
    return tenant == null
            || tenant.getStatus() == null
            || tenant.getStatus().getAlertSummary() == null
        ? ""
        : tenant.getStatus().getAlertSummary();
  }

  private static void await(BooleanSupplier condition, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out: " + what);
      }
      Thread.sleep(20);
    }
  }

  private static RatingModel model(byte[] module) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName("scorer").withNamespace(NS).build());
    RatingModelSpec spec = new RatingModelSpec();
    ModuleSource source = new ModuleSource();
    source.setInline(Base64.getEncoder().encodeToString(module));
    spec.setModule(source);
    ModelLimitsSpec limits = new ModelLimitsSpec();
    limits.setTimeoutMillis(2000);
    spec.setLimits(limits);
    model.setSpec(spec);
    return model;
  }

  private static TenantConfig tenant(int shortWindow, int longWindow) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName(TENANT).withNamespace(NS).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef("scorer"));
    spec.setThreshold(650.0);
    TenantSloSpec slo = new TenantSloSpec();
    LatencyObjectiveSpec latency = new LatencyObjectiveSpec();
    latency.setDisabled(true);
    slo.setLatency(latency);
    slo.setMinRequests(20L);
    slo.setPage(rule(longWindow + "s", shortWindow + "s", 14.4));
    slo.setTicket(rule((longWindow * 4) + "s", (shortWindow * 4) + "s", 6));
    spec.setSlo(slo);
    TenantAlertingSpec alerting = new TenantAlertingSpec();
    AlertReceiverSpec hook = new AlertReceiverSpec();
    hook.setName("am");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("acme-hook");
    ref.setKey("url");
    hook.setWebhook(ref);
    hook.setSeverities(List.of("page"));
    alerting.setReceivers(List.of(hook));
    spec.setAlerting(alerting);
    tenant.setSpec(spec);
    return tenant;
  }

  private static BurnRateAlertSpec rule(String longWindow, String shortWindow, double burnRate) {
    BurnRateAlertSpec rule = new BurnRateAlertSpec();
    rule.setLongWindow(longWindow);
    rule.setShortWindow(shortWindow);
    rule.setBurnRate(burnRate);
    return rule;
  }
}
