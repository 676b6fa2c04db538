package dev.clawrate.contract.engine;

import static dev.clawrate.contract.testing.WasmBytes.bytes;
import static dev.clawrate.contract.testing.WasmBytes.concat;
import static dev.clawrate.contract.testing.WasmBytes.name;
import static dev.clawrate.contract.testing.WasmBytes.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.contract.testing.WasmBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelValidatorTest {

  /** Two numbers in a row, as in "[0, 97, 115]" or "found: 121, -125": bytes being quoted. */
  private static final Pattern NUMBER_LIST = Pattern.compile("-?\\d+\\s*,\\s*-?\\d+");

  private static final String NOT_WASM =
      "not a WebAssembly module: it does not start with the \\0asm magic number";
  private static final String INVALID = "not a valid WebAssembly module: ";

  private static ModelValidationException rejection(byte[] bytes) {
    return assertThrows(
        ModelValidationException.class,
        () -> ModelValidator.validate(bytes, null, "rate", ModelLimits.DEFAULTS));
  }

  /** One reason after the prefix: words only, no clause quoting what was read. */
  private static void assertOneReadableReason(String message, String prefix) {
    assertTrue(message.startsWith(prefix), message);
    String reason = message.substring(prefix.length());
    assertTrue(reason.matches("[A-Za-z][A-Za-z ,-]*"), "not one plain sentence: " + message);
    assertFalse(NUMBER_LIST.matcher(message).find(), "quotes bytes: " + message);
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
  void garbageBytesAreNotWebAssembly() {
    var e = rejection("definitely not wasm".getBytes(StandardCharsets.UTF_8));
    assertEquals(NOT_WASM, e.getMessage());
    assertEquals(NOT_WASM, rejection(new byte[] {121, -125, 77, -89, 0, 0, 0, 0}).getMessage());
    assertEquals(NOT_WASM, rejection(new byte[0]).getMessage());
  }

  @Test
  void aHeaderCutShortIsSaidToBe() {
    assertEquals(
        INVALID + "it ends inside its 8-byte header",
        rejection(Arrays.copyOf(WasmBytes.HEADER, 6)).getMessage());
  }

  @Test
  void anotherBinaryVersionIsNamedAsSuch() {
    byte[] bytes = Fixtures.module("constant-a").clone();
    bytes[4] = 0x0d;
    assertEquals(
        "not a WebAssembly module this rater can run: its binary format version is not 1",
        rejection(bytes).getMessage());
  }

  @Test
  void aTruncatedModuleIsSaidToBe() {
    byte[] bytes = Fixtures.module("constant-a");
    for (int length : new int[] {9, 12, bytes.length / 2, bytes.length - 1}) {
      var e = rejection(Arrays.copyOf(bytes, length));
      assertEquals(
          INVALID + "a section ends before its contents do, so it is truncated or corrupt",
          e.getMessage());
    }
  }

  @Test
  void sectionsOfGarbageGetOneReadableReason() {
    byte[] garbage = concat(WasmBytes.HEADER, bytes(0x7f, 0x83, 0x4d, 0xa7, 0x12, 0x00, 0x55));
    assertOneReadableReason(rejection(garbage).getMessage(), INVALID);
    byte[] oversizedSection = WasmBytes.module(section(1, bytes(0x01, 0x60, 0x00, 0x00, 0xff)));
    assertOneReadableReason(rejection(oversizedSection).getMessage(), INVALID);
  }

  @Test
  void anImportNameThatIsNoIdentifierIsNotRepeated() {
    String secret = "acme-bank applicant 4711: income=93000";
    byte[] module =
        WasmBytes.module(
            section(1, bytes(0x01, 0x60, 0x00, 0x00)),
            section(2, concat(bytes(0x01), name(secret), name("rate"), bytes(0x00, 0x00))));
    String message = rejection(module).getMessage();
    assertEquals(
        "module imports <a name that is not an identifier>.rate; rating models may import only"
            + " env.abort (no WASI, clock, network or filesystem)",
        message);
  }

  @Test
  void aModuleThatCannotBeInstantiatedGetsOneReadableReason() throws Exception {
    // memory of one page, alloc(len) -> len, and one data byte at 65536: just past the memory.
    byte[] module =
        WasmBytes.module(
            section(1, bytes(0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f)),
            section(3, bytes(0x01, 0x00)),
            section(5, bytes(0x01, 0x00, 0x01)),
            section(
                7,
                concat(bytes(0x02), name("memory"), bytes(0x02, 0x00), name("alloc"), bytes(0, 0))),
            section(10, bytes(0x01, 0x04, 0x00, 0x20, 0x00, 0x0b)),
            section(11, bytes(0x01, 0x00, 0x41, 0x80, 0x80, 0x04, 0x0b, 0x01, 0x78)));
    ValidatedModule validated = ModelValidator.validateModule(module, ModuleDigest.of(module));
    var e =
        assertThrows(
            ModelValidationException.class,
            () ->
                CompiledModel.compile(
                    validated, ExecutionMode.INTERPRETED, ModelValidator.PERMISSIVE));
    assertOneReadableReason(e.getMessage(), "module cannot be instantiated: ");
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
    assertTrue(
        e.getMessage().endsWith("exported functions: [alloc, memory, rate]"), e.getMessage());
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
