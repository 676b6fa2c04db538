package dev.clawrate.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.rater.rating.Answer;
import dev.clawrate.rater.rating.Rater;
import dev.clawrate.rater.rating.RatingException;
import dev.clawrate.rater.rating.TenantRoute;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rating of the example credit scorecard with the host's JSON in and out: the request body
 * checked, wrapped in the ABI input, rated, the output parsed and the API answer rendered. The Java
 * reference does the same work: parse the body, score, serialise the result.
 *
 * <p>Run with {@code bench/jmh.sh} (it passes {@code -Dclawrate.examples.dir}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ScorecardRatingBenchmark {

  @Param({"COMPILED", "INTERPRETED"})
  public ExecutionMode mode;

  private ModelEngine engine;
  private TenantRoute route;
  private byte[] body;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    byte[] module = ExampleScorecard.module();
    body = ExampleScorecard.applicant();
    engine = new ModelEngine(mode, 4);
    var runtime = engine.load(d -> module, ExampleScorecard.DIGEST, "rate", ModelLimits.DEFAULTS);
    var tenant =
        new TenantEntry("credit-scorecard", 650, JsonNodeFactory.instance.objectNode(), List.of());
    route = new TenantRoute("acme-bank", "credit-scorecard", "stable", tenant, runtime, null);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public Answer wasm() throws RatingException {
    return Rater.rate(route, body, body.length);
  }
}
