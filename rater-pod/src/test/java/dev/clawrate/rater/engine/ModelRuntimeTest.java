package dev.clawrate.rater.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.rater.engine.ModelCallException.Failure;
import dev.clawrate.rater.testing.Fixtures;
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
    return load(fixture, ModelLimits.DEFAULTS);
  }

  @ParameterizedTest
  @EnumSource(ExecutionMode.class)
  void returnsTheModelsOutputInEitherMode(ExecutionMode mode) throws Exception {
    try (var engine = new ModelEngine(mode, 2)) {
      byte[] bytes = Fixtures.module("constant-a");
      var runtime = engine.load(d -> bytes, ModuleDigest.of(bytes), "rate", ModelLimits.DEFAULTS);
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
  void theThreadIsReusableAfterATimeout() throws Exception {
    ModelRuntime loop = load("infinite-loop", new ModelLimits(16, 10, 1024));
    ModelRuntime good = load("constant-a");
    assertThrows(ModelCallException.class, () -> loop.call(INPUT));
    for (int i = 0; i < 100; i++) {
      assertEquals(
          "{\"rating\":700,\"version\":\"a\"}",
          new String(good.call(INPUT), StandardCharsets.UTF_8));
    }
    Thread.sleep(30);
    assertTrue(!Thread.interrupted(), "no late interrupt may arrive after the call returned");
  }

  @Test
  void anOutOfBoundsOutputPointerIsABadOutput() throws Exception {
    var e = assertThrows(ModelCallException.class, () -> load("oob-output").call(INPUT));
    assertEquals(Failure.BAD_OUTPUT, e.failure());
    assertTrue(e.getMessage().contains("outside its 65536-byte memory"), e.getMessage());
  }

  @Test
  void aMemoryBombStopsAtTheMemoryCap() throws Exception {
    ModelRuntime runtime = load("memory-bomb", new ModelLimits(64, 1000, 1024));
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
    ModelRuntime otherLimits = load("constant-a", new ModelLimits(8, 50, 1024));
    assertTrue(a == again, "same digest, entry point and limits share one runtime");
    assertTrue(a != otherLimits);
    assertTrue(a.model() == otherLimits.model(), "other limits reuse the compiled module");
    assertEquals(1, engine.compiledCount());
  }

  @Test
  void aTieredEngineServesAtOnceAndSwitchesToCompiledCode() throws Exception {
    try (var tiered = new ModelEngine(ExecutionMode.COMPILED, 2, true)) {
      byte[] bytes = Fixtures.module("constant-a");
      var runtime = tiered.load(d -> bytes, ModuleDigest.of(bytes), "rate", ModelLimits.DEFAULTS);
      String expected = "{\"rating\":700,\"version\":\"a\"}";
      assertEquals(expected, new String(runtime.call(INPUT), StandardCharsets.UTF_8));
      dev.clawrate.rater.testing.Await.until(
          "the runtime runs compiled code", () -> runtime.model().mode() == ExecutionMode.COMPILED);
      long created = runtime.instancesCreated();
      assertEquals(expected, new String(runtime.call(INPUT), StandardCharsets.UTF_8));
      assertTrue(runtime.instancesCreated() >= created, "counts carry over the switch");
      var again =
          tiered.load(d -> bytes, ModuleDigest.of(bytes), "rate", new ModelLimits(8, 50, 1024));
      assertEquals(ExecutionMode.COMPILED, again.model().mode(), "later runtimes start compiled");
    }
  }
}
