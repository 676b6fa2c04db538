package dev.clawrate.contract.engine;

/** How a module's functions run. */
public enum ExecutionMode {
  /** Wasm translated to JVM bytecode once per module, then JIT-compiled: the serving mode. */
  COMPILED,
  /** Chicory's interpreter: no code generation; kept for comparison and as an escape hatch. */
  INTERPRETED
}
