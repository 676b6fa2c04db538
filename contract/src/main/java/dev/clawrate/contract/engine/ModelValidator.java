package dev.clawrate.contract.engine;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that bytes are a module the rater may serve: the digest matches, it parses and validates
 * as Wasm, it imports nothing but {@code env.abort}, has no start function, and exports the ABI
 * with the right types. The operator runs this same code before publishing.
 */
public final class ModelValidator {

  private ModelValidator() {}

  /**
   * @param expectedDigest {@code sha256:<hex>} the bytes must hash to, or {@code null} to skip
   */
  public static ValidatedModule validate(
      byte[] bytes, String expectedDigest, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    String digest = ModuleDigest.of(bytes);
    if (expectedDigest != null && !expectedDigest.equals(digest)) {
      throw new ModelValidationException(
          "digest mismatch: expected "
              + expectedDigest
              + " but the module bytes hash to "
              + digest);
    }
    return inspect(digest, bytes.length, parse(bytes), entrypoint, limits);
  }

  /**
   * The checks that do not depend on how a snapshot uses the module (digest, Wasm validity,
   * imports, start function, memory and alloc exports), enough to compile it ahead of use.
   */
  public static ValidatedModule validateModule(byte[] bytes, String expectedDigest)
      throws ModelValidationException {
    String digest = ModuleDigest.of(bytes);
    if (!expectedDigest.equals(digest)) {
      throw new ModelValidationException(
          "digest mismatch: expected "
              + expectedDigest
              + " but the module bytes hash to "
              + digest);
    }
    return inspect(digest, bytes.length, parse(bytes), null, PERMISSIVE);
  }

  /** Limits that any module the ABI allows fits in. */
  static final ModelLimits PERMISSIVE =
      new ModelLimits(
          ModelLimits.MAX_MEMORY_PAGES,
          ModelLimits.MAX_TIMEOUT_MILLIS,
          ModelLimits.MAX_INPUT_BYTES);

  /** Re-checks an already validated module against another entry point or other limits. */
  public static ValidatedModule recheck(
      ValidatedModule validated, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    return inspect(
        validated.digest(), validated.sizeBytes(), validated.module(), entrypoint, limits);
  }

  private static ValidatedModule inspect(
      String digest, int sizeBytes, WasmModule module, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    checkImports(module);
    if (module.startSection().isPresent()) {
      throw new ModelValidationException(
          "module declares a start function; rating models must not run code when instantiated");
    }
    Map<String, Export> exports = exportsByName(module);
    checkMemory(module, exports, limits);
    requireFunction(module, exports, WasmAbi.ALLOC, WasmAbi.ALLOC_TYPE);
    if (entrypoint != null) {
      requireFunction(module, exports, entrypoint, WasmAbi.RATE_TYPE);
    }
    boolean hasDealloc = exports.containsKey(WasmAbi.DEALLOC);
    if (hasDealloc) {
      requireFunction(module, exports, WasmAbi.DEALLOC, WasmAbi.DEALLOC_TYPE);
    }
    List<String> functionNames =
        exports.values().stream()
            .filter(e -> e.exportType() == ExternalType.FUNCTION)
            .map(Export::name)
            .sorted()
            .toList();
    return new ValidatedModule(digest, sizeBytes, module, functionNames, hasDealloc);
  }

  private static WasmModule parse(byte[] bytes) throws ModelValidationException {
    String header = WasmHeader.problem(bytes);
    if (header != null) {
      throw new ModelValidationException(header);
    }
    try {
      return Parser.parse(bytes);
    } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
      // No cause: the parser's message quotes the bytes it read, and causes end up in logs.
      throw new ModelValidationException(
          "not a valid WebAssembly module: "
              + EngineMessages.reason(e, "its sections cannot be parsed"));
    }
  }

  private static void checkImports(WasmModule module) throws ModelValidationException {
    var imports = module.importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      Import imp = imports.getImport(i);
      boolean isAbort =
          WasmAbi.ABORT_MODULE.equals(imp.module()) && WasmAbi.ABORT_NAME.equals(imp.name());
      if (!isAbort) {
        throw new ModelValidationException(
            "module imports "
                + WasmNames.shown(imp.module())
                + "."
                + WasmNames.shown(imp.name())
                + "; rating models may import only env.abort (no WASI, clock, network or"
                + " filesystem)");
      }
      if (!(imp instanceof FunctionImport fn)
          || !module.typeSection().getType(fn.typeIndex()).equals(WasmAbi.ABORT_TYPE)) {
        throw new ModelValidationException(
            "import env.abort must be a function of type " + WasmAbi.describe(WasmAbi.ABORT_TYPE));
      }
    }
  }

  private static Map<String, Export> exportsByName(WasmModule module) {
    var section = module.exportSection();
    Map<String, Export> byName = new HashMap<>();
    for (int i = 0; i < section.exportCount(); i++) {
      Export export = section.getExport(i);
      byName.put(export.name(), export);
    }
    return byName;
  }

  private static void checkMemory(
      WasmModule module, Map<String, Export> exports, ModelLimits limits)
      throws ModelValidationException {
    Export memory = exports.get(WasmAbi.MEMORY);
    if (memory == null) {
      throw new ModelValidationException("module does not export 'memory'");
    }
    if (memory.exportType() != ExternalType.MEMORY) {
      throw new ModelValidationException(
          "export 'memory' must be a memory, found a " + kind(memory.exportType()));
    }
    int initialPages =
        module.memorySection().map(s -> s.getMemory(0).limits().initialPages()).orElse(0);
    if (initialPages > limits.maxMemoryPages()) {
      throw new ModelValidationException(
          "module needs "
              + initialPages
              + " initial memory pages but its limit is maxMemoryPages="
              + limits.maxMemoryPages());
    }
  }

  private static void requireFunction(
      WasmModule module, Map<String, Export> exports, String name, FunctionType expected)
      throws ModelValidationException {
    Export export = exports.get(name);
    if (export == null) {
      throw new ModelValidationException(
          "module does not export function '"
              + name
              + "' "
              + WasmAbi.describe(expected)
              + "; exported functions: "
              + WasmNames.shown(new ArrayList<>(exports.keySet())));
    }
    if (export.exportType() != ExternalType.FUNCTION) {
      throw new ModelValidationException(
          "export '" + name + "' must be a function, found a " + kind(export.exportType()));
    }
    FunctionType actual = functionType(module, export.index());
    if (!actual.equals(expected)) {
      throw new ModelValidationException(
          "export '"
              + name
              + "' has type "
              + WasmAbi.describe(actual)
              + ", the rating ABI needs "
              + WasmAbi.describe(expected));
    }
  }

  private static FunctionType functionType(WasmModule module, int functionIndex) {
    int imported = module.importSection().count(ExternalType.FUNCTION);
    if (functionIndex < imported) {
      var fn = (FunctionImport) module.importSection().getImport(functionIndex);
      return module.typeSection().getType(fn.typeIndex());
    }
    return module.functionSection().getFunctionType(functionIndex - imported, module.typeSection());
  }

  private static String kind(ExternalType type) {
    return type.name().toLowerCase(java.util.Locale.ROOT);
  }
}
