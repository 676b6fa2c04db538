package dev.clawrate.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.contract.testing.HugeFunctionModule;
import org.junit.jupiter.api.Test;

class ModuleCheckTest {

  /** Both steps, as the reconciler runs them (with the module written in between). */
  private static ModuleCheck.Passed check(
      ModuleCheck check, byte[] module, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    return check.compile(check.inspect(module, entrypoint, limits), entrypoint, limits);
  }

  @Test
  void validModulePassesWithDigestSizeAndExports() throws Exception {
    byte[] module = Fixtures.module("constant-a");
    ModuleCheck.Passed passed = check(new ModuleCheck(), module, "rate", ModelLimits.DEFAULTS);
    assertEquals(ModuleDigest.of(module), passed.digest());
    assertEquals(module.length, passed.sizeBytes());
    assertTrue(passed.exports().contains("rate"), passed.exports().toString());
    assertTrue(passed.exports().contains("alloc"), passed.exports().toString());
  }

  @Test
  void functionsTooLargeForTheCompilerAreCountedAndTheModulePasses() throws Exception {
    ModuleCheck check = new ModuleCheck();
    assertEquals(
        1,
        check(check, HugeFunctionModule.module(), "rate", ModelLimits.DEFAULTS)
            .interpretedFunctions());
    assertEquals(
        0,
        check(check, Fixtures.module("constant-a"), "rate", ModelLimits.DEFAULTS)
            .interpretedFunctions());
  }

  @Test
  void moduleWithAWasiImportIsRejected() {
    ModelValidationException e =
        assertThrows(
            ModelValidationException.class,
            () ->
                check(
                    new ModuleCheck(),
                    Fixtures.module("wasi-import"),
                    "rate",
                    ModelLimits.DEFAULTS));
    assertTrue(e.getMessage().contains("wasi_snapshot_preview1"), e.getMessage());
  }

  @Test
  void missingEntrypointIsRejected() {
    assertThrows(
        ModelValidationException.class,
        () ->
            check(new ModuleCheck(), Fixtures.module("constant-a"), "score", ModelLimits.DEFAULTS));
  }

  @Test
  void bytesThatAreNotWasmAreRejected() {
    assertThrows(
        ModelValidationException.class,
        () -> check(new ModuleCheck(), new byte[] {1, 2, 3, 4}, "rate", ModelLimits.DEFAULTS));
  }

  @Test
  void secondCheckOfTheSameBytesReturnsTheCachedResult() throws Exception {
    ModuleCheck check = new ModuleCheck();
    byte[] module = Fixtures.module("constant-b");
    ModuleCheck.Passed first = check(check, module, "rate", ModelLimits.DEFAULTS);
    ModuleCheck.Passed second = check(check, module.clone(), "rate", ModelLimits.DEFAULTS);
    assertSame(first, second);
  }

  @Test
  void otherLimitsAreCheckedAgain() throws Exception {
    ModuleCheck check = new ModuleCheck();
    byte[] module = Fixtures.module("constant-b");
    ModuleCheck.Passed first = check(check, module, "rate", ModelLimits.DEFAULTS);
    ModuleCheck.Passed other = check(check, module, "rate", new ModelLimits(16, 20, 1024));
    assertNotSame(first, other);
    assertEquals(first, other);
  }

  @Test
  void theAbiChecksCatchABadModuleBeforeAnythingCompiles() {
    assertThrows(
        ModelValidationException.class,
        () ->
            new ModuleCheck()
                .inspect(Fixtures.module("wasi-import"), "rate", ModelLimits.DEFAULTS));
  }

  @Test
  void aModuleThatPassedOnceNeedsNoSecondCompile() throws Exception {
    ModuleCheck check = new ModuleCheck();
    byte[] module = Fixtures.module("constant-a");
    check(check, module, "rate", ModelLimits.DEFAULTS);
    ModuleCheck.Inspected again = check.inspect(module, "rate", ModelLimits.DEFAULTS);
    assertNotNull(again.passed());
    assertNull(again.module());
  }

  @Test
  void aModuleDifferingOnlyInMetadataIsCheckedAndReportedAsItself() throws Exception {
    ModuleCheck check = new ModuleCheck();
    byte[] module = Fixtures.module("constant-a");
    ModuleCheck.Inspected first = check.inspect(module, "rate", ModelLimits.DEFAULTS);
    check.compile(first, "rate", ModelLimits.DEFAULTS);
    byte[] labelled = CodeDigestTest.withCustomSection(module, "m7");
    ModuleCheck.Inspected second = check.inspect(labelled, "rate", ModelLimits.DEFAULTS);
    assertNotNull(second.module(), "the ABI checks run for every module");
    assertEquals(first.code(), second.code());
    ModuleCheck.Passed passed = check.compile(second, "rate", ModelLimits.DEFAULTS);
    assertEquals(ModuleDigest.of(labelled), passed.digest());
    assertEquals(labelled.length, passed.sizeBytes());
  }

  @Test
  void aFailureIsNotCached() {
    ModuleCheck check = new ModuleCheck();
    byte[] bad = Fixtures.module("wasi-import");
    assertThrows(
        ModelValidationException.class, () -> check(check, bad, "rate", ModelLimits.DEFAULTS));
    assertThrows(
        ModelValidationException.class, () -> check(check, bad, "rate", ModelLimits.DEFAULTS));
  }
}
