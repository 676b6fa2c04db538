package dev.clawrate.operator.metrics;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rater's {@code /metrics} for {@code tenants} tenants ({@link RaterMetricsText}), as the
 * operator reads it for the SLO evaluator: parsed as it streams in and summed tenant by tenant
 * ({@code perTenant}, what {@code readTenants} does with each instance); parsed into a list of
 * every sample ({@code everySample}, {@code PrometheusText.parse}); and the canary analysis's read
 * of a few tenants of one track ({@code oneTrackFewTenants}). In this package for the
 * package-private parts of the read.
 *
 * <p>Run with {@code bench/jmh.sh PrometheusTextBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class PrometheusTextBenchmark {

  @Param({"10000"})
  public int tenants;

  private byte[] body;
  private PrometheusText parser;

  @Setup(Level.Trial)
  public void setUp() {
    String text = RaterMetricsText.of(tenants);
    body = text.getBytes(StandardCharsets.UTF_8);
    parser = PrometheusText.forRaters();
    System.out.printf(
        "%nexposition: %d tenants, %d lines, %d bytes%n",
        tenants, text.lines().count(), body.length);
  }

  @Benchmark
  public Map<String, RaterSample> perTenant() throws Exception {
    InstanceSummary<Map<String, RaterSample>> summary = RaterSamples.perTenant();
    parser.read(new ByteArrayInputStream(body), body.length, summary);
    return summary.result();
  }

  @Benchmark
  public ParsedMetrics everySample() throws Exception {
    return parser.parse(new ByteArrayInputStream(body), body.length);
  }

  @Benchmark
  public RaterSample oneTrackFewTenants() throws Exception {
    InstanceSummary<RaterSample> summary =
        RaterSamples.ofTrack("stable", Set.of("tenant-7.bank", "tenant-4242.bank"));
    parser.read(new ByteArrayInputStream(body), body.length, summary);
    return summary.result();
  }
}
