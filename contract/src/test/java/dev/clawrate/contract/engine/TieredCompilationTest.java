package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.contract.testing.HugeFunctionModule;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a tiered engine tells its callers about the compiled code it is still making. */
class TieredCompilationTest {

  // Generous: a bound on a wait for a condition, not a measure of how fast compiling is.
  private static final long WAIT_SECONDS = 120;

  private static ModelRuntime load(ModelEngine engine, byte[] bytes) throws Exception {
    return engine.load(d -> bytes, ModuleDigest.of(bytes), "rate", Fixtures.UNHURRIED);
  }

  @Test
  void whenTheCompiledCodeIsReadyEveryRuntimeRunsIt() throws Exception {
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 2, true)) {
      ModelRuntime a = load(engine, Fixtures.module("constant-a"));
      ModelRuntime b = load(engine, Fixtures.module("constant-b"));

      engine.compiledCode(List.of(a, b)).get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertEquals(ExecutionMode.COMPILED, a.model().mode());
      assertEquals(ExecutionMode.COMPILED, b.model().mode());
      assertFalse(engine.isCompiling(a.digest()));
      assertFalse(engine.isCompiling(b.digest()));
      assertTrue(engine.compiledCode(List.of(a, b)).isDone(), "nothing left to wait for");
    }
  }

  @Test
  void anEngineThatIsNotTieredHasNothingToWaitFor() throws Exception {
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 2)) {
      ModelRuntime runtime = load(engine, Fixtures.module("constant-a"));

      assertFalse(engine.isCompiling(runtime.digest()));
      assertTrue(engine.compiledCode(List.of(runtime)).isDone());
      assertEquals(ExecutionMode.COMPILED, runtime.model().mode());
    }
  }

  @Test
  void theBackgroundCompilerSaysWhichFunctionsItLeftToTheInterpreter() throws Exception {
    try (var engine = new ModelEngine(ExecutionMode.COMPILED, 2, true)) {
      ModelRuntime runtime = load(engine, HugeFunctionModule.module());

      engine.compiledCode(List.of(runtime)).get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertEquals(ExecutionMode.COMPILED, runtime.model().mode());
      assertEquals(
          List.of(HugeFunctionModule.RATE_FUNCTION), runtime.model().interpretedFunctions());
    }
  }
}
