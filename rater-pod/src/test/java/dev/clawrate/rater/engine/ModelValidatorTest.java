package dev.clawrate.rater.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.rater.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelValidatorTest {

  private static ModelValidationException rejection(byte[] bytes) {
    return assertThrows(
        ModelValidationException.class,
        () -> ModelValidator.validate(bytes, null, "rate", ModelLimits.DEFAULTS));
  }

  @Test
  void acceptsAModuleWithTheAbiAndReportsItsExports() throws Exception {
    byte[] bytes = Fixtures.module("constant-a");
    ValidatedModule module =
        ModelValidator.validate(bytes, ModuleDigest.of(bytes), "rate", ModelLimits.DEFAULTS);
    assertEquals(ModuleDigest.of(bytes), module.digest());
    assertEquals(bytes.length, module.sizeBytes());
    assertEquals(List.of("alloc", "rate"), module.exports());
  }

  @Test
  void acceptsTheEnvAbortImport() throws Exception {
    ModelValidator.validate(Fixtures.module("aborts"), null, "rate", ModelLimits.DEFAULTS);
  }

  @Test
  void rejectsGarbageBytes() {
    var e = rejection("definitely not wasm".getBytes(StandardCharsets.UTF_8));
    assertTrue(e.getMessage().startsWith("not a valid WebAssembly module"), e.getMessage());
  }

  @Test
  void rejectsATruncatedModule() {
    byte[] bytes = Fixtures.module("constant-a");
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertTrue(rejection(truncated).getMessage().startsWith("not a valid WebAssembly module"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "missing-rate        | does not export function 'rate'",
        "wrong-rate-type     | export 'rate' has type [I32, I32] -> [I32], the rating ABI needs [I32, I32] -> [I64]",
        "wasi-import         | imports wasi_snapshot_preview1.fd_write; rating models may import only env.abort",
        "start-function      | declares a start function",
        "memory-not-exported | does not export 'memory'",
      })
  void rejectsModulesThatBreakTheAbi(String fixture, String expected) {
    var e = rejection(Fixtures.module(fixture));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void rejectsADigestMismatchNamingBothDigests() {
    byte[] bytes = Fixtures.module("constant-a");
    String other = ModuleDigest.of(Fixtures.module("constant-b"));
    var e =
        assertThrows(
            ModelValidationException.class,
            () -> ModelValidator.validate(bytes, other, "rate", ModelLimits.DEFAULTS));
    assertTrue(e.getMessage().contains("digest mismatch: expected " + other), e.getMessage());
    assertTrue(e.getMessage().contains(ModuleDigest.of(bytes)), e.getMessage());
  }

  @Test
  void rejectsAnEntrypointTheModuleDoesNotExport() {
    var e =
        assertThrows(
            ModelValidationException.class,
            () ->
                ModelValidator.validate(
                    Fixtures.module("constant-a"), null, "score", ModelLimits.DEFAULTS));
    assertTrue(e.getMessage().contains("does not export function 'score'"), e.getMessage());
  }

  @Test
  void rejectsAModuleWhoseInitialMemoryIsOverItsLimit() {
    var e =
        assertThrows(
            ModelValidationException.class,
            () ->
                ModelValidator.validate(
                    Fixtures.module("constant-a"), null, "rate", new ModelLimits(1, 50, 1024)));
    assertTrue(e.getMessage().contains("needs 2 initial memory pages"), e.getMessage());
  }
}
