package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.contract.testing.HugeFunctionModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledModelTest {

  private static final byte[] INPUT =
      "{\"tenant\":\"t\",\"parameters\":{},\"input\":{}}".getBytes(StandardCharsets.UTF_8);

  private static CompiledModel compile(byte[] bytes, ExecutionMode mode) throws Exception {
    ValidatedModule validated =
        ModelValidator.validate(bytes, ModuleDigest.of(bytes), "rate", Fixtures.UNHURRIED);
    return CompiledModel.compile(validated, mode, Fixtures.UNHURRIED);
  }

  @Test
  void aFunctionTooLargeForTheJvmIsNamedAsInterpretedAndStillAnswers() throws Exception {
    CompiledModel model = compile(HugeFunctionModule.module(), ExecutionMode.COMPILED);

    assertEquals(List.of(HugeFunctionModule.RATE_FUNCTION), model.interpretedFunctions());
    var instance = new ModelInstance(model.instantiate(Fixtures.UNHURRIED), null, "rate", false);
    assertEquals(
        HugeFunctionModule.OUTPUT, new String(instance.call(INPUT), StandardCharsets.UTF_8));
  }

  @Test
  void aModuleThatFitsHasNoInterpretedFunctions() throws Exception {
    assertEquals(
        List.of(),
        compile(Fixtures.module("constant-a"), ExecutionMode.COMPILED).interpretedFunctions());
  }

  @Test
  void interpretedModeListsNoneSinceNothingWasLeftBehindByTheCompiler() throws Exception {
    assertEquals(
        List.of(),
        compile(HugeFunctionModule.module(), ExecutionMode.INTERPRETED).interpretedFunctions());
  }
}
