package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelCallException.Failure;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The memory budget of all instances, and the eviction of idle ones. */
class ModelMemoryTest {

  private static final byte[] INPUT =
      "{\"tenant\":\"t\",\"parameters\":{},\"input\":{}}".getBytes(StandardCharsets.UTF_8);
  private static final long MIB = 1024 * 1024;

  // memory-hungry holds 30 MiB per instance: with this budget and share, one at a time.
  private static final InstancePolicy TIGHT =
      new InstancePolicy(64 * MIB, 50, Duration.ofMinutes(10), Duration.ofMillis(20));

  private static final ModelLimits BIG =
      new ModelLimits(ModelLimits.MAX_MEMORY_PAGES, ModelLimits.MAX_TIMEOUT_MILLIS, 1024);

  private static ModelRuntime load(ModelEngine engine, String fixture, ModelLimits limits)
      throws ModelValidationException {
    byte[] bytes = Fixtures.module(fixture);
    return engine.load(d -> bytes, ModuleDigest.of(bytes), "rate", limits);
  }

  /** What each call ended as: SUCCESS for an answer, else its failure. */
  private enum Result {
    SUCCESS,
    TRAP,
    TIMEOUT,
    BAD_OUTPUT,
    UNAVAILABLE,
    OVERLOADED
  }

  private static Result callOnce(ModelRuntime runtime) {
    try {
      runtime.call(INPUT);
      return Result.SUCCESS;
    } catch (ModelCallException e) {
      return Result.valueOf(e.failure().name());
    }
  }

  @Test
  void aHungryModelIsRefusedUnderLoadWhileASmallOneKeepsAnswering() throws Exception {
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 8, false, TIGHT)) {
      ModelRuntime hungry = load(engine, "memory-hungry", BIG);
      ModelRuntime small = load(engine, "constant-a", Fixtures.UNHURRIED);
      int threads = 6;
      int callsEach = 20;
      ExecutorService pool = Executors.newFixedThreadPool(2 * threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Result>> hungryCalls = new ArrayList<>();
      List<Future<Result>> smallCalls = new ArrayList<>();
      try {
        for (int t = 0; t < threads; t++) {
          for (int i = 0; i < callsEach; i++) {
            hungryCalls.add(pool.submit(() -> awaitThen(start, hungry)));
            smallCalls.add(pool.submit(() -> awaitThen(start, small)));
          }
        }
        start.countDown();
        Map<Result, Integer> hungryResults = tally(hungryCalls);
        Map<Result, Integer> smallResults = tally(smallCalls);
        assertEquals(Map.of(Result.SUCCESS, threads * callsEach), smallResults);
        assertTrue(hungryResults.getOrDefault(Result.OVERLOADED, 0) > 0, hungryResults.toString());
        assertTrue(hungryResults.getOrDefault(Result.SUCCESS, 0) > 0, hungryResults.toString());
        assertEquals(
            Set.of(Result.SUCCESS, Result.OVERLOADED), hungryResults.keySet(), "only these");
      } finally {
        pool.shutdownNow();
      }
      MemoryBudget budget = engine.memoryBudget();
      assertTrue(budget.refusals() > 0);
      assertTrue(budget.usedBytes() <= budget.limitBytes());
      // Only idle instances hold memory now, the hungry one's within its share.
      assertTrue(
          hungry.memoryHeldBytes() <= TIGHT.modelShareBytes(), "" + hungry.memoryHeldBytes());
      assertEquals(budget.usedBytes(), hungry.memoryHeldBytes() + small.memoryHeldBytes());
    }
  }

  private static Result awaitThen(CountDownLatch start, ModelRuntime runtime)
      throws InterruptedException {
    start.await();
    return callOnce(runtime);
  }

  private static Map<Result, Integer> tally(List<Future<Result>> calls) throws Exception {
    Map<Result, Integer> counts = new EnumMap<>(Result.class);
    for (Future<Result> call : calls) {
      counts.merge(call.get(60, TimeUnit.SECONDS), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void aRefusedGrowFailsTheCallAsOverloadedAndDiscardsTheInstance() throws Exception {
    // Room for the initial page, not for the grow.
    var policy = new InstancePolicy(16 * MIB, 100, Duration.ofMinutes(10), Duration.ZERO);
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 2, false, policy)) {
      ModelRuntime hungry = load(engine, "memory-hungry", BIG);
      ModelCallException e = assertThrows(ModelCallException.class, () -> hungry.call(INPUT));
      assertEquals(Failure.OVERLOADED, e.failure());
      assertTrue(e.getMessage().startsWith("model memory refused"), e.getMessage());
      assertEquals(1, hungry.instancesDiscarded());
      assertEquals(0, engine.memoryBudget().usedBytes(), "the discarded instance's memory");
    }
  }

  @Test
  void aRefusedGrowFailsTheCallInTheInterpreterToo() throws Exception {
    var policy = new InstancePolicy(16 * MIB, 100, Duration.ofMinutes(10), Duration.ZERO);
    try (var engine = new ModelEngine(ExecutionMode.INTERPRETED, 2, false, policy)) {
      ModelRuntime hungry = load(engine, "memory-hungry", BIG);
      assertEquals(Result.OVERLOADED, callOnce(hungry));
      assertEquals(0, engine.memoryBudget().usedBytes());
    }
  }

  @Test
  void idleInstancesAreEvictedAndTheirMemoryReturned() throws Exception {
    var policy = TIGHT.withIdleTimeout(Duration.ofMillis(50));
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 8, false, policy)) {
      ModelRuntime runtime = load(engine, "constant-a", Fixtures.UNHURRIED);
      assertEquals(Result.SUCCESS, callOnce(runtime));
      assertTrue(engine.memoryBudget().usedBytes() > 0);
      Await.until("the idle instance is evicted", () -> runtime.instancesEvicted() == 1);
      assertEquals(0, runtime.instancesIdle());
      assertEquals(0, engine.memoryBudget().usedBytes());
      // The pool grows back on demand.
      assertEquals(Result.SUCCESS, callOnce(runtime));
      assertEquals(2, runtime.instancesCreated());
    }
  }

  @Test
  void aModelLeavingTheEngineReturnsItsMemory() throws Exception {
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 8, false, TIGHT)) {
      ModelRuntime hungry = load(engine, "memory-hungry", BIG);
      assertEquals(Result.SUCCESS, callOnce(hungry));
      assertEquals(480 * (long) WasmAbi.PAGE_BYTES, engine.memoryBudget().usedBytes());
      engine.retainOnly(Set.of());
      assertEquals(0, engine.memoryBudget().usedBytes());
    }
  }

  @Test
  void aHungryModelsIdleInstancesMakeRoomForAnotherModel() throws Exception {
    // Room for the hungry model's 480 pages and one more, not for the small model's two.
    var policy =
        new InstancePolicy(481L * WasmAbi.PAGE_BYTES, 100, Duration.ofMinutes(10), Duration.ZERO);
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 8, false, policy)) {
      ModelRuntime hungry = load(engine, "memory-hungry", BIG);
      ModelRuntime small = load(engine, "constant-a", Fixtures.UNHURRIED);
      assertEquals(Result.SUCCESS, callOnce(hungry));
      assertEquals(1, hungry.instancesIdle());
      assertEquals(Result.SUCCESS, callOnce(small));
      assertEquals(0, hungry.instancesIdle());
      assertEquals(1, hungry.instancesEvicted());
    }
  }

  @Test
  void aLargeGrowIsStoppedAtTheTimeLimit() throws Exception {
    var policy = new InstancePolicy(1024 * MIB, 100, Duration.ofMinutes(10), Duration.ZERO);
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 2, false, policy)) {
      ModelRuntime runtime =
          load(engine, "grows-at-once", new ModelLimits(ModelLimits.MAX_MEMORY_PAGES, 1, 1024));
      assertEquals(Result.TIMEOUT, callOnce(runtime));
      assertEquals(0, engine.memoryBudget().usedBytes());
      assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was cleared");
    }
  }

  @Test
  void anErrorThrownInsideAModelCallLeavesNoDeadlineArmedAndNoMemoryHeld() throws Exception {
    // Another model holds all but one page: the instance gets its first page, and its grow asks
    // the budget to reclaim, which throws an Error from inside the running model.
    var policy =
        new InstancePolicy(481L * WasmAbi.PAGE_BYTES, 100, Duration.ofMinutes(10), Duration.ZERO);
    MemoryBudget budget = new MemoryBudget(policy);
    budget.account().charge(480L * WasmAbi.PAGE_BYTES);
    budget.reclaimWith(
        () -> {
          throw new InternalError("thrown inside the call");
        });
    int limitMillis = 50;
    try (CallWatchdog watchdog = new CallWatchdog()) {
      byte[] bytes = Fixtures.module("memory-hungry");
      CompiledModel model =
          CompiledModel.compile(
              ModelValidator.validate(bytes, ModuleDigest.of(bytes), "rate", BIG),
              ExecutionMode.COMPILED,
              BIG);
      ModelRuntime runtime =
          new ModelRuntime(
              model,
              "rate",
              new ModelLimits(ModelLimits.MAX_MEMORY_PAGES, limitMillis, 1024),
              watchdog,
              2,
              budget.account());
      assertThrows(InternalError.class, () -> runtime.call(INPUT));
      assertEquals(0, runtime.memoryHeldBytes(), "the instance was discarded");
      // Past the wall-clock bound at which an armed deadline fires whatever the CPU time; an
      // interrupt arriving meanwhile fails the wait itself.
      long thrownAt = System.nanoTime();
      long bound = TimeUnit.MILLISECONDS.toNanos(2L * CallWatchdog.WALL_CLOCK_FACTOR * limitMillis);
      long scansBefore = watchdog.scans();
      Await.until(
          "the call's deadline is long past",
          () -> System.nanoTime() - thrownAt > bound && watchdog.scans() > scansBefore + 2);
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }
}
