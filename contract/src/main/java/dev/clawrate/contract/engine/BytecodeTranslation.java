package dev.clawrate.contract.engine;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.objectweb.asm.MethodTooLargeException;

/**
 * A module translated to JVM bytecode, and the functions that could not be. A function whose
 * bytecode would pass the JVM's 64 KB method limit cannot be compiled; Chicory then runs it in its
 * interpreter, and by default only says so on standard error. Translating with the fallback set to
 * fail instead names each such function, which is then listed as interpreted and the translation
 * run again, so the engine knows exactly which functions run slowly.
 *
 * @param interpretedFunctions indices (imports included) of the functions left to the interpreter,
 *     ascending
 */
record BytecodeTranslation(
    Function<Instance, Machine> machineFactory, List<Integer> interpretedFunctions) {

  private static final String FUNCTION_METHOD_PREFIX = "func_";

  static BytecodeTranslation of(WasmModule module) {
    Set<Integer> interpreted = new TreeSet<>();
    // Each round adds a function never seen before, so this ends within the function count.
    while (true) {
      var compiler =
          MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.FAIL);
      if (!interpreted.isEmpty()) {
        compiler.withInterpretedFunctions(Set.copyOf(interpreted));
      }
      try {
        return new BytecodeTranslation(compiler.compile(), List.copyOf(interpreted));
      } catch (ChicoryException e) {
        Integer tooLarge = tooLargeFunction(e);
        if (tooLarge == null || !interpreted.add(tooLarge)) {
          throw e;
        }
      }
    }
  }

  /** The function whose method was too large, or null when the failure is something else. */
  private static Integer tooLargeFunction(ChicoryException e) {
    if (e.getCause() instanceof MethodTooLargeException tooLarge
        && tooLarge.getMethodName().startsWith(FUNCTION_METHOD_PREFIX)) {
      try {
        return Integer.valueOf(tooLarge.getMethodName().substring(FUNCTION_METHOD_PREFIX.length()));
      } catch (NumberFormatException notAFunction) {
        return null;
      }
    }
    return null;
  }
}
