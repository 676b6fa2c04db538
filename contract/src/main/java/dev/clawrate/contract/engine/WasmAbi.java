package dev.clawrate.contract.engine;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;

/** The names and signatures of the rating ABI v1 (design contract 1). */
public final class WasmAbi {

  public static final String MEMORY = "memory";
  public static final String ALLOC = "alloc";
  public static final String DEALLOC = "dealloc";
  public static final String DEFAULT_ENTRYPOINT = "rate";

  public static final String ABORT_MODULE = "env";
  public static final String ABORT_NAME = "abort";

  public static final FunctionType ALLOC_TYPE =
      FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
  public static final FunctionType RATE_TYPE =
      FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I64));
  public static final FunctionType DEALLOC_TYPE =
      FunctionType.of(List.of(ValType.I32, ValType.I32), List.of());
  public static final FunctionType ABORT_TYPE =
      FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of());

  public static final int PAGE_BYTES = 65_536;

  private WasmAbi() {}

  static String describe(FunctionType type) {
    return type.params().stream().map(ValType::name).toList()
        + " -> "
        + type.returns().stream().map(ValType::name).toList();
  }
}
