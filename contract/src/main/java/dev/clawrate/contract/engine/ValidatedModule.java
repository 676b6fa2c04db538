package dev.clawrate.contract.engine;

import com.dylibso.chicory.wasm.WasmModule;
import java.util.List;

/**
 * A parsed module that passed every ABI check, ready to compile.
 *
 * @param digest {@code sha256:<hex>} of the module bytes
 * @param sizeBytes size of the module bytes
 * @param module the parsed module; the same object is reused for every instance
 * @param exports names of the exported functions, sorted
 * @param hasDealloc whether the optional {@code dealloc} export is present
 */
public record ValidatedModule(
    String digest, int sizeBytes, WasmModule module, List<String> exports, boolean hasDealloc) {

  public ValidatedModule {
    exports = List.copyOf(exports);
  }
}
