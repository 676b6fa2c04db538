package dev.clawrate.operator.model;

import dev.clawrate.rater.engine.CompiledModel;
import dev.clawrate.rater.engine.ExecutionMode;
import dev.clawrate.rater.engine.ModelLimits;
import dev.clawrate.rater.engine.ModelValidationException;
import dev.clawrate.rater.engine.ModelValidator;
import dev.clawrate.rater.engine.ModuleDigest;
import dev.clawrate.rater.engine.ValidatedModule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a module with the rater's own engine, exactly as a rater will before serving it: the
 * ABI checks, then compilation to bytecode and one instantiation. Results are remembered by
 * (digest, entry point, limits), so a resync does not compile every model again.
 */
public final class ModuleCheck {

  /** What the status reports about a module that passed. */
  public record Passed(String digest, int sizeBytes, List<String> exports) {}

  private record Key(String digest, String entrypoint, ModelLimits limits) {}

  // Bounded by the number of distinct module versions the operator has seen; a version is a
  // few hundred bytes here, the compiled code itself is not kept.
  private final Map<Key, Passed> passed = new ConcurrentHashMap<>();

  public Passed check(byte[] bytes, String entrypoint, ModelLimits limits)
      throws ModelValidationException {
    Key key = new Key(ModuleDigest.of(bytes), entrypoint, limits);
    Passed known = passed.get(key);
    if (known != null) {
      return known;
    }
    ValidatedModule validated = ModelValidator.validate(bytes, key.digest(), entrypoint, limits);
    CompiledModel.compile(validated, ExecutionMode.COMPILED, limits);
    Passed result = new Passed(validated.digest(), validated.sizeBytes(), validated.exports());
    passed.put(key, result);
    return result;
  }
}
