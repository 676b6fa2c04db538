package dev.clawrate.operator.model;

import dev.clawrate.contract.engine.CompiledModel;
import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModelValidator;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.engine.ValidatedModule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a module with the rater's own engine, exactly as a rater will before serving it, in two
 * steps: the ABI checks (parsing, imports, exports; milliseconds), then compilation to bytecode and
 * one instantiation (the slow part). Between the two the module may be written where raters see it,
 * so they compile it while the operator does. Results are remembered by (digest, entry point,
 * limits), so a resync does not compile every model again, and compiles by the module's code
 * ({@link CodeDigest}), so models that differ only in metadata compile once.
 */
public final class ModuleCheck {

  /**
   * What the status reports about a module that passed.
   *
   * @param interpretedFunctions functions too large for the compiler, run by the interpreter
   */
  public record Passed(
      String digest, int sizeBytes, List<String> exports, int interpretedFunctions) {}

  /**
   * A module past the ABI checks; {@link #passed} is set when it is known to compile too.
   *
   * @param code its {@link CodeDigest}, or null
   */
  public record Inspected(String digest, String code, ValidatedModule module, Passed passed) {}

  private record Key(String digest, String entrypoint, ModelLimits limits) {}

  // Bounded by the number of distinct module versions the operator has seen; a version is a
  // few hundred bytes here, the compiled code itself is not kept.
  private final Map<Key, Passed> passed = new ConcurrentHashMap<>();
  // The code that compiled, by (code digest, entry point, limits), with how many of its functions
  // the compiler left to the interpreter: a few hundred bytes a version.
  private final Map<Key, Integer> compiled = new ConcurrentHashMap<>();

  public Inspected inspect(byte[] bytes, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    String digest = ModuleDigest.of(bytes);
    Passed known = passed.get(new Key(digest, entrypoint, limits));
    if (known != null) {
      return new Inspected(digest, null, null, known);
    }
    ValidatedModule module = ModelValidator.validate(bytes, digest, entrypoint, limits);
    return new Inspected(digest, CodeDigest.of(bytes), module, null);
  }

  public Passed compile(Inspected inspected, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    if (inspected.passed() != null) {
      return inspected.passed();
    }
    ValidatedModule validated = inspected.module();
    Key code = inspected.code() == null ? null : new Key(inspected.code(), entrypoint, limits);
    Integer interpreted = code == null ? null : compiled.get(code);
    if (interpreted == null) {
      interpreted =
          CompiledModel.compile(validated, ExecutionMode.COMPILED, limits)
              .interpretedFunctions()
              .size();
      if (code != null) {
        compiled.put(code, interpreted);
      }
    }
    Passed result =
        new Passed(validated.digest(), validated.sizeBytes(), validated.exports(), interpreted);
    passed.put(new Key(validated.digest(), entrypoint, limits), result);
    return result;
  }
}
