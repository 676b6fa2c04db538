package dev.clawrate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.rater.examples.ScorecardReference;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * The example scorecard in plain Java doing the work {@link ScorecardRatingBenchmark} does in Wasm:
 * parse the request body, score, serialise the result. The floor the engine is judged by.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ScorecardReferenceBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private byte[] body;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    body = ExampleScorecard.applicant();
  }

  @Benchmark
  public byte[] javaReference() throws IOException {
    JsonNode input = MAPPER.readTree(body);
    var outcome = ScorecardReference.rate(input, JsonNodeFactory.instance.objectNode());
    return MAPPER.writeValueAsBytes(outcome);
  }
}
