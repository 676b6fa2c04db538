package dev.clawrate.contract.engine;

import dev.clawrate.benchmarks.ExampleScorecard;
import dev.clawrate.contract.engine.ModelEngine.ModuleBytes;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a call pays to get an instance: a warm checkout from the pool (the steady state), and
 * creating a new instance (after a trap or timeout, or when concurrency grows). Also the watchdog's
 * arm and disarm, which every call pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class InstanceCheckoutBenchmark {

  private ModelEngine engine;
  private ModelRuntime runtime;
  private InstancePool pool;
  // Keeps no instance: every borrow instantiates, every give-back drops (and uncharges) it.
  private InstancePool fresh;
  private CallWatchdog watchdog;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    byte[] module = ExampleScorecard.module();
    engine = new ModelEngine(ExecutionMode.COMPILED, 4);
    ModuleBytes bytes = d -> module;
    runtime = engine.load(bytes, ExampleScorecard.DIGEST, "rate", ModelLimits.DEFAULTS);
    pool = pool(4);
    fresh = pool(0);
    watchdog = new CallWatchdog();
  }

  private InstancePool pool(int maxIdle) {
    return new InstancePool(
        runtime.model(),
        "rate",
        ModelLimits.DEFAULTS,
        maxIdle,
        engine.memoryBudget().account(),
        new InstanceCounters());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    watchdog.close();
    engine.close();
  }

  @Benchmark
  public ModelInstance pooledCheckout() {
    ModelInstance instance = pool.borrow();
    pool.giveBack(instance);
    return instance;
  }

  /** Instantiation with its memory charged to the budget and returned. */
  @Benchmark
  public ModelInstance newInstance() {
    ModelInstance instance = fresh.borrow();
    fresh.giveBack(instance);
    return instance;
  }

  @Benchmark
  public boolean watchdogArmAndDisarm() {
    return watchdog.arm(50).disarm();
  }
}
