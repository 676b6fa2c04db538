package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelCallException.Failure;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelRuntimeTest {

  private static final byte[] INPUT =
      "{\"tenant\":\"t\",\"parameters\":{},\"input\":{}}".getBytes(StandardCharsets.UTF_8);

  private static final ModelLimits UNHURRIED = Fixtures.UNHURRIED;

  // As many idle instances as the concurrency test has threads: a steady load never instantiates.
  private final ModelEngine engine = new ModelEngine(ExecutionMode.COMPILED, 8);

  @AfterEach
  void close() {
    engine.close();
  }

  private ModelRuntime load(String fixture, ModelLimits limits) throws ModelValidationException {
    byte[] bytes = Fixtures.module(fixture);
    return engine.load(d -> bytes, ModuleDigest.of(bytes), "rate", limits);
  }

  private ModelRuntime load(String fixture) throws ModelValidationException {
    return load(fixture, UNHURRIED);
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void returnsTheModelsOutputInEitherMode(ExecutionMode mode) throws Exception {
    try (var engine = new ModelEngine(mode, 2)) {
      byte[] bytes = Fixtures.module("constant-a");
      var runtime = engine.load(d -> bytes, ModuleDigest.of(bytes), "rate", UNHURRIED);
      assertEquals(
          "{\"rating\":700,\"version\":\"a\"}",
          new String(runtime.call(INPUT), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aTrapFailsThatCallAndDiscardsTheInstance() throws Exception {
    ModelRuntime runtime = load("trap");
    var e = assertThrows(ModelCallException.class, () -> runtime.call(INPUT));
    assertEquals(Failure.TRAP, e.failure());
    assertTrue(e.getMessage().startsWith("model trapped"), e.getMessage());
    assertThrows(ModelCallException.class, () -> runtime.call(INPUT));
    assertEquals(2, runtime.instancesDiscarded());
    assertEquals(2, runtime.instancesCreated(), "a trapped instance must never be reused");
    assertEquals(0, runtime.instancesIdle());
  }

  @Test
  void anInfiniteLoopIsStoppedAtItsTimeLimit() throws Exception {
    ModelRuntime runtime = load("infinite-loop", new ModelLimits(16, 20, 1024));
    long start = System.nanoTime();
    var e = assertThrows(ModelCallException.class, () -> runtime.call(INPUT));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Failure.TIMEOUT, e.failure());
    assertTrue(e.getMessage().contains("time limit of 20 ms"), e.getMessage());
    // Stopped, not left running: far below the surefire timeout, whatever the machine's load.
    assertTrue(millis < 5_000, "took " + millis + " ms");
    assertEquals(1, runtime.instancesDiscarded());
    assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt must not leak");
  }

  @Test
  void aCallerMayBoundACallTighterThanTheModelsLimitButNotLooser() throws Exception {
    ModelRuntime loop = load("infinite-loop", new ModelLimits(16, 10_000, 1024));
    var bounded = assertThrows(ModelCallException.class, () -> loop.call(INPUT, 20));
    assertEquals(Failure.TIMEOUT, bounded.failure());
    assertTrue(bounded.getMessage().contains("time limit of 20 ms"), bounded.getMessage());
    assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt must not leak");

    ModelRuntime shortLimit = load("infinite-loop", new ModelLimits(16, 20, 1024));
    var own = assertThrows(ModelCallException.class, () -> shortLimit.call(INPUT, 10_000));
    assertTrue(own.getMessage().contains("time limit of 20 ms"), own.getMessage());
  }

  @Test
  void theThreadIsReusableAfterATimeout() throws Exception {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      ModelRuntime loop = runtime(watchdog, "infinite-loop", new ModelLimits(16, 10, 1024));
      ModelRuntime good = runtime(watchdog, "constant-a", UNHURRIED);
      var e = assertThrows(ModelCallException.class, () -> loop.call(INPUT));
      assertEquals(Failure.TIMEOUT, e.failure());
      for (int i = 0; i < 100; i++) {
        assertEquals(
            "{\"rating\":700,\"version\":\"a\"}",
            new String(good.call(INPUT), StandardCharsets.UTF_8));
      }
      long scanned = watchdog.scans();
      Await.until(
          "the watchdog looks at every call twice more", () -> watchdog.scans() > scanned + 1);
      assertFalse(Thread.interrupted(), "no late interrupt may arrive after the call returned");
    }
  }

  /** A runtime of its own, outside any engine, timed by {@code watchdog}. */
  private static ModelRuntime runtime(CallWatchdog watchdog, String fixture, ModelLimits limits)
      throws ModelValidationException {
    return new ModelRuntime(
        compiled(fixture, ExecutionMode.COMPILED), "rate", limits, watchdog, 2, memory());
  }

  private static MemoryBudget.Account memory() {
    return new MemoryBudget(InstancePolicy.defaults()).account();
  }

  private static CompiledModel compiled(String fixture, ExecutionMode mode)
      throws ModelValidationException {
    byte[] bytes = Fixtures.module(fixture);
    return CompiledModel.compile(
        ModelValidator.validate(bytes, ModuleDigest.of(bytes), "rate", UNHURRIED),
        mode,
        ModelValidator.PERMISSIVE);
  }

  @Test
  void anOutOfBoundsOutputPointerIsABadOutput() throws Exception {
    var e = assertThrows(ModelCallException.class, () -> load("oob-output").call(INPUT));
    assertEquals(Failure.BAD_OUTPUT, e.failure());
    assertTrue(e.getMessage().contains("outside its 65536-byte memory"), e.getMessage());
  }

  @Test
  void aMemoryBombStopsAtTheMemoryCap() throws Exception {
    ModelRuntime runtime =
        load("memory-bomb", new ModelLimits(64, ModelLimits.MAX_TIMEOUT_MILLIS, 1024));
    var e = assertThrows(ModelCallException.class, () -> runtime.call(INPUT));
    assertEquals(Failure.TRAP, e.failure());
    // The module declares no maximum; the cap held, or the loop would have run to 4 GiB.
    var instance = runtime.model().instantiate(runtime.limits());
    assertEquals(64, instance.memory().maximumPages());
  }

  @Test
  void unboundedRecursionIsATrap() throws Exception {
    var e = assertThrows(ModelCallException.class, () -> load("stack-overflow").call(INPUT));
    assertEquals(Failure.TRAP, e.failure());
  }

  @Test
  void envAbortIsATrapWithTheModelsLocation() throws Exception {
    var e = assertThrows(ModelCallException.class, () -> load("aborts").call(INPUT));
    assertEquals(Failure.TRAP, e.failure());
    assertTrue(e.getMessage().contains("model called abort"), e.getMessage());
    assertTrue(e.getMessage().contains("line 12:3"), e.getMessage());
  }

  @Test
  void concurrentCallersEachGetTheirOwnInstance() throws Exception {
    ModelRuntime runtime = load("constant-b");
    byte[] expected = "{\"rating\":500,\"version\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    assertArrayEquals(expected, runtime.call(INPUT));
                  }
                  return 2_000;
                }));
      }
      for (Future<Integer> result : results) {
        assertEquals(2_000, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(
        runtime.instancesCreated() <= 8,
        "8 threads need at most 8 instances; created " + runtime.instancesCreated());
  }

  @Test
  void aModuleIsCompiledOncePerDigest() throws Exception {
    ModelRuntime a = load("constant-a");
    ModelRuntime again = load("constant-a");
    ModelRuntime otherLimits =
        load("constant-a", new ModelLimits(8, ModelLimits.MAX_TIMEOUT_MILLIS, 1024));
    assertTrue(a == again, "same digest, entry point and limits share one runtime");
    assertTrue(a != otherLimits);
    assertTrue(a.model() == otherLimits.model(), "other limits reuse the compiled module");
    assertEquals(1, engine.compiledCount());
  }

  @Test
  void aTieredEngineServesAtOnceAndSwitchesToCompiledCode() throws Exception {
    try (var tiered = new ModelEngine(ExecutionMode.COMPILED, 2, true)) {
      byte[] bytes = Fixtures.module("constant-a");
      var runtime = tiered.load(d -> bytes, ModuleDigest.of(bytes), "rate", UNHURRIED);
      String expected = "{\"rating\":700,\"version\":\"a\"}";
      assertEquals(expected, new String(runtime.call(INPUT), StandardCharsets.UTF_8));
      Await.until(
          "the runtime runs compiled code", () -> runtime.model().mode() == ExecutionMode.COMPILED);
      assertEquals(expected, new String(runtime.call(INPUT), StandardCharsets.UTF_8));
      var again =
          tiered.load(
              d -> bytes,
              ModuleDigest.of(bytes),
              "rate",
              new ModelLimits(8, ModelLimits.MAX_TIMEOUT_MILLIS, 1024));
      assertEquals(ExecutionMode.COMPILED, again.model().mode(), "later runtimes start compiled");
    }
  }

  @Test
  void theSwitchToCompiledCodeKeepsTheCountsAndTheInstancesApart() throws Exception {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      ModelRuntime runtime =
          new ModelRuntime(
              compiled("constant-a", ExecutionMode.INTERPRETED),
              "rate",
              UNHURRIED,
              watchdog,
              2,
              memory());
      String expected = "{\"rating\":700,\"version\":\"a\"}";
      assertEquals(expected, new String(runtime.call(INPUT), StandardCharsets.UTF_8));
      assertEquals(1, runtime.instancesCreated());
      assertEquals(1, runtime.instancesIdle());

      runtime.upgrade(compiled("constant-a", ExecutionMode.COMPILED));
      assertEquals(ExecutionMode.COMPILED, runtime.model().mode());
      assertEquals(0, runtime.instancesIdle(), "interpreted instances are not handed out again");
      assertEquals(expected, new String(runtime.call(INPUT), StandardCharsets.UTF_8));
      assertEquals(2, runtime.instancesCreated(), "counts carry over the switch");
      assertEquals(1, runtime.instancesIdle());
    }
  }
}
