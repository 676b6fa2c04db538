package dev.clawrate.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.clawrate.operator.alert.AlertBook;
import dev.clawrate.operator.alert.AlertDispatcher;
import dev.clawrate.operator.alert.AlertEvaluator;
import dev.clawrate.operator.alert.ReceiverResolver;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.MetricsSource;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import dev.clawrate.operator.served.RegionHealth;
import dev.clawrate.operator.tenancy.Claims;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;

/**
 * Operator CPU of one SLO evaluation round for many tenants in three regions: the real {@link
 * AlertEvaluator} (increments per instance, both objectives' windows on the default rules, the
 * fallback watch, region and canary events, the alert book), fed by a metrics source that makes
 * each rater's cumulative counters in memory instead of scraping them. Baseline in the same run:
 * making those counters alone (what the source costs), so the ratio is the evaluation's own cost.
 * Scraping and parsing real expositions is measured by PrometheusTextBenchmark.
 *
 * <p>Process CPU (every thread, GC included) per round, after warm-up rounds. Usage: {@code
 * AlertRoundBenchmark <tenants> <rounds>}
 */
public final class AlertRoundBenchmark {

  private static final List<String> REGIONS = List.of("local", "eu-west", "us-east");
  private static final int INSTANCES = 2;
  private static final double[] BOUNDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 10
  };

  private AlertRoundBenchmark() {}

  /** Cumulative counters that grow by 100 requests per tenant and instance each read. */
  private static final class GrowingSource implements MetricsSource {
    private final List<String> tenants;
    private final Map<String, AtomicLong> reads = new HashMap<>();

    GrowingSource(List<String> tenants) {
      this.tenants = tenants;
      REGIONS.forEach(region -> reads.put(region, new AtomicLong()));
    }

    @Override
    public Map<String, RaterSample> read(String region, String track, Set<String> tenants) {
      throw new UnsupportedOperationException("the SLO evaluation reads every tenant at once");
    }

    @Override
    public Map<String, Map<String, RaterSample>> readTenants(String region) {
      long n = reads.get(region).incrementAndGet();
      Map<String, Map<String, RaterSample>> instances = new HashMap<>();
      for (int i = 0; i < INSTANCES; i++) {
        Map<String, RaterSample> byTenant = new HashMap<>(tenants.size() * 2);
        for (int t = 0; t < tenants.size(); t++) {
          double requests = 100.0 * n;
          // One tenant in a hundred fails 2% of its requests and is slow for 5%.
          boolean troubled = t % 100 == 0;
          double errors = troubled ? 2.0 * n : 0;
          byTenant.put(
              tenants.get(t),
              new RaterSample(
                  requests,
                  errors,
                  0,
                  latency(requests, troubled ? 5.0 * n : 0.5 * n),
                  Histogram.EMPTY,
                  Map.of(),
                  ShadowFigures.NONE));
        }
        instances.put(region + "-pod-" + i, byTenant);
      }
      return instances;
    }

    private static Histogram latency(double count, double slow) {
      Map<Double, Double> cumulative = new TreeMap<>();
      for (double bound : BOUNDS) {
        cumulative.put(bound, bound < 0.1 ? count * 0.9 : count - slow);
      }
      cumulative.put(Double.POSITIVE_INFINITY, count);
      return Histogram.of(cumulative);
    }
  }

  /** A clock the benchmark moves by one interval per round. */
  private static final class SteppedClock extends Clock {
    private Instant now = Instant.parse("2026-11-29T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void step(Duration by) {
      now = now.plus(by);
    }
  }

  public static void main(String[] args) {
    int count = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    List<String> ids = new ArrayList<>();
    List<TenantConfig> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = String.format("tenant-%05d", i);
      ids.add(id);
      TenantConfig tenant = new TenantConfig();
      tenant.setMetadata(new ObjectMetaBuilder().withNamespace("bank").withName(id).build());
      TenantConfigSpec spec = new TenantConfigSpec();
      spec.setModelRef(new ModelRef("scorer"));
      spec.setThreshold(600.0);
      tenant.setSpec(spec);
      tenants.add(tenant);
    }
    Duration interval = Duration.ofSeconds(30);
    SteppedClock clock = new SteppedClock();
    GrowingSource source = new GrowingSource(ids);
    AlertBook book = new AlertBook();
    AlertDispatcher dispatcher =
        new AlertDispatcher(
            book,
            new ReceiverResolver(
                null, HttpUrl.get(ReceiverResolver.PAGERDUTY_EVENTS), false, url -> null),
            key -> {},
            clock);
    List<RegionHealth> health =
        REGIONS.stream()
            .map(r -> new RegionHealth(r, RegionHealth.HEALTHY, 1, 2, 2, 0, null))
            .toList();
    AlertEvaluator evaluator =
        new AlertEvaluator(
            interval,
            new AlertEvaluator.World(() -> tenants, List::of, () -> Claims.NONE, () -> health),
            source,
            () -> true,
            book,
            dispatcher,
            keys -> {},
            clock,
            new SimpleMeterRegistry());
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int warmup = Math.max(5, rounds / 2);
    double[] evaluation = new double[rounds];
    double[] baseline = new double[rounds];
    GrowingSource alone = new GrowingSource(ids);
    for (int r = -warmup; r < rounds; r++) {
      clock.step(interval);
      long before = os.getProcessCpuTime();
      evaluator.round();
      long middle = os.getProcessCpuTime();
      for (String region : REGIONS) {
        alone.readTenants(region);
      }
      long after = os.getProcessCpuTime();
      if (r >= 0) {
        evaluation[r] = (middle - before) / 1e6;
        baseline[r] = (after - middle) / 1e6;
      }
    }
    evaluator.close();
    System.out.printf(
        "tenants=%d regions=%d instances/region=%d rounds=%d (after %d warm-up rounds)%n",
        count, REGIONS.size(), INSTANCES, rounds, warmup);
    System.out.println("evaluation round, process CPU: " + Stats.summary(evaluation));
    System.out.println("baseline (making the counters only): " + Stats.summary(baseline));
    System.out.printf(
        "ratio of medians: %.2f; target: evaluation <= 1000 ms CPU per round%n",
        Stats.percentile(evaluation, 50) / Stats.percentile(baseline, 50));
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.out.printf(
        "heap after GC: %.0f MB%n", (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
  }
}
