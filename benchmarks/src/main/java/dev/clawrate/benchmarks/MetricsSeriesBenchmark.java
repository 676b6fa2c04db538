package dev.clawrate.benchmarks;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RaterClient;
import dev.clawrate.rater.testing.RunningRater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the rater's {@code /metrics} costs with many tenants: a rater (in this JVM) serving a
 * snapshot of N tenants on the example scorecard, each tenant rated once (so each has the series a
 * rated tenant has: one outcome, one rating, one decision), then {@code /metrics} scraped a number
 * of times: series in all and per tenant, bytes, and scrape time. Then a snapshot keeping one
 * tenant goes live, and the series left are counted again: the departed tenants' must be gone.
 *
 * <p>Usage: {@code MetricsSeriesBenchmark [tenants] [scrapes] [clients]}.
 */
public final class MetricsSeriesBenchmark {

  private MetricsSeriesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path dir = Files.createTempDirectory("clawrate-metrics-series-");
    ConfigDir config = new ConfigDir(dir).model("credit-scorecard", ExampleScorecard.module());
    for (int i = 0; i < tenants; i++) {
      config.tenant(tenant(i), "credit-scorecard", 650);
    }
    config.publish();
    try (RunningRater rater = RunningRater.serve(dir)) {
      RaterClient health = rater.health();
      Scrape empty = Scrape.of(health);
      rateEachOnce(rater.client(), tenants, clients);
      double[] millis = new double[scrapes];
      Scrape last = null;
      for (int i = 0; i < scrapes; i++) {
        long start = System.nanoTime();
        last = Scrape.of(health);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      Scrape full = last;
      System.out.printf(
          "tenants %d, each rated once by %d clients; %d scrapes of /metrics%n",
          tenants, clients, scrapes);
      System.out.printf("before any rating   series %d, bytes %d%n", empty.series, empty.bytes);
      System.out.printf(
          "after               series %d (%d with a tenant label), bytes %d%n",
          full.series, full.tenantSeries, full.bytes);
      System.out.printf(
          "per tenant          series %.1f, bytes %.0f%n",
          (double) full.tenantSeries / tenants, (double) (full.bytes - empty.bytes) / tenants);
      System.out.println("scrape time         " + Stats.summary(millis));

      for (int i = 1; i < tenants; i++) {
        config.removeTenant(tenant(i));
      }
      config.publish();
      rater.awaitRevision(2);
      Scrape after =
          Await.value(
              "the departed tenants' series are gone",
              Duration.ofMinutes(2),
              () -> Scrape.of(health),
              s -> (long) s.tenantSeries * tenants <= full.tenantSeries);
      System.out.printf(
          "one tenant kept     series %d (%d with a tenant label), bytes %d%n",
          after.series, after.tenantSeries, after.bytes);
    } finally {
      deleteTree(dir);
    }
  }

  private static String tenant(int i) {
    return String.format("tenant-%05d", i);
  }

  private static void rateEachOnce(RaterClient client, int tenants, int clients) throws Exception {
    byte[] body = ExampleScorecard.applicant();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < tenants; i = next.getAndIncrement()) {
                    if (client.rate(tenant(i), body).status() != 200) {
                      failed.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    if (failed.get() > 0) {
      System.out.printf("warning: %d ratings were not 200%n", failed.get());
    }
  }

  /** One scrape: samples (lines that are not comments), those with a tenant label, and bytes. */
  private record Scrape(int series, int tenantSeries, int bytes) {
    static Scrape of(RaterClient health) {
      String text = health.get("/metrics").body();
      int series = 0;
      int tenant = 0;
      for (String line : text.split("\n")) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          series++;
          if (line.contains("tenant=\"tenant-")) {
            tenant++;
          }
        }
      }
      return new Scrape(series, tenant, text.length());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
