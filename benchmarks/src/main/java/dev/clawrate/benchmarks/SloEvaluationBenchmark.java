package dev.clawrate.benchmarks;

import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Severity;
import dev.clawrate.operator.alert.slo.SloLedger;
import dev.clawrate.operator.alert.slo.SloObjective;
import dev.clawrate.operator.alert.slo.SloObjectives;
import dev.clawrate.operator.alert.slo.SloPolicy;
import dev.clawrate.operator.alert.slo.SloState;
import dev.clawrate.operator.alert.slo.SloVerdict;
import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.rater.testing.LatencyBounds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One round of SLO evaluation for 10,000 tenants in 3 regions, each with an availability and a
 * latency objective on the default rules (page 1h/5m, ticket 6h/30m): every region's increase
 * recorded, then every tenant evaluated, on the one thread the evaluator has. Each round is 30 s
 * after the previous, so windows fill and age as they do in service. One tenant in ten has an
 * outage in some rounds, so verdicts fire and resolve. The target is at most 1 s of CPU per
 * round.
 *
 * <p>The set-up prints the heap the ledger holds once every counter exists, measured after a full
 * GC.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SloEvaluationBenchmark {

  private static final int TENANTS = 10_000;
  private static final List<String> REGIONS = List.of("local", "eu-west", "us-east");
  private static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final BiPredicate<AlertKind, Severity> NONE_FIRING = (kind, severity) -> false;
  private static final double[] LATENCY_BOUNDS = LatencyBounds.seconds();

  private final SloPolicy policy =
      SloPolicy.of(
          new SloObjectives(SloObjective.availability(0.999), SloObjective.latency(0.99, 0.1)));
  private ResourceKey[] tenants;
  private RaterSample[] healthy;
  private RaterSample[] failing;
  private SloLedger ledger;
  private Instant now;
  private long round;

  @Setup(Level.Trial)
  public void setUp() {
    tenants = new ResourceKey[TENANTS];
    for (int i = 0; i < TENANTS; i++) {
      tenants[i] = ResourceKey.tenant("team-" + i % 100, "tenant-" + i);
    }
    Random random = new Random(42);
    healthy = new RaterSample[64];
    failing = new RaterSample[64];
    for (int i = 0; i < healthy.length; i++) {
      healthy[i] = increment(random, 0.001, 0.005);
      failing[i] = increment(random, 0.3, 0.2);
    }
    long before = usedHeapAfterGc();
    ledger = new SloLedger(INTERVAL);
    now = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 12; i++) {
      round();
    }
    long held = usedHeapAfterGc() - before;
    System.out.printf(
        "%nSLO ledger of %d tenants x %d regions x 2 objectives: %.1f MB of heap after a full GC%n",
        TENANTS, REGIONS.size(), held / 1e6);
  }

  /** One evaluation round; returns how many verdicts fire, so that nothing is optimised away. */
  @Benchmark
  public int round() {
    round++;
    now = now.plus(INTERVAL);
    int firing = 0;
    for (int t = 0; t < TENANTS; t++) {
      ResourceKey tenant = tenants[t];
      // one tenant in ten has an outage in one region for 20 rounds of every 200
      boolean outage = t % 10 == 0 && (round + t) % 200 < 20;
      for (int r = 0; r < REGIONS.size(); r++) {
        int pick = (int) ((t * 7 + r * 13 + round) & 63);
        RaterSample increment = outage && r == t % 3 ? failing[pick] : healthy[pick];
        ledger.record(tenant, policy, REGIONS.get(r), increment, now);
      }
      for (SloVerdict verdict : ledger.evaluate(tenant, policy, NONE_FIRING, now)) {
        if (verdict.state() == SloState.FIRING) {
          firing++;
        }
      }
    }
    return firing;
  }

  /**
   * 50 to 250 requests, about {@code errorRate} of them server errors and {@code slowRate} answered
   * in 250 ms, the rest within 25 ms.
   */
  private static RaterSample increment(Random random, double errorRate, double slowRate) {
    int requests = 50 + random.nextInt(201);
    int errors = 0;
    int slow = 0;
    for (int i = 0; i < requests; i++) {
      errors += random.nextDouble() < errorRate ? 1 : 0;
      slow += random.nextDouble() < slowRate ? 1 : 0;
    }
    Map<Double, Double> cumulative = new TreeMap<>();
    for (double bound : LATENCY_BOUNDS) {
      double fast = bound >= 0.025 ? requests - slow : bound >= 0.005 ? (requests - slow) / 2 : 0;
      cumulative.put(bound, fast + (bound >= 0.25 ? slow : 0));
    }
    return new RaterSample(
        requests,
        errors,
        0,
        Histogram.of(cumulative),
        Histogram.EMPTY,
        Map.of(),
        ShadowFigures.NONE);
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
