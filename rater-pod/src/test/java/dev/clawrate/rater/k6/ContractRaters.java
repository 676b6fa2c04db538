package dev.clawrate.rater.k6;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RunningRater;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The raters the k6 contract is tried against: one serving the example config (the example tenant
 * the scripts rate by default), and one with a tenant behind an API key and a tenant whose model
 * always traps and falls back to a fixed decision, both on the example models.
 */
final class ContractRaters implements AutoCloseable {

  static final String KEYED = "keyed-bank";
  static final String FALLING_BACK = "falling-back";
  static final String API_KEY = "k6-synthetic-key";
  static final String FIXED_DECISION = "refer";

  private final RunningRater example;
  private final RunningRater other;

  private ContractRaters(RunningRater example, RunningRater other) {
    this.example = example;
    this.other = other;
  }

  /**
   * @param dir where the second rater's config is written
   */
  static ContractRaters start(Path dir) {
    byte[] scorecard =
        Fixtures.read(
            Fixtures.examplesDir().resolve("models/credit-scorecard/credit-scorecard.wasm"));
    byte[] traps =
        Fixtures.read(Fixtures.examplesDir().resolve("models/always-traps/always-traps.wasm"));
    new ConfigDir(dir)
        .model("credit-scorecard", scorecard)
        .model("always-traps", traps)
        .tenant(
            KEYED,
            "credit-scorecard",
            650,
            JsonNodeFactory.instance.objectNode(),
            List.of(ModuleDigest.hex(ModuleDigest.of(API_KEY.getBytes(StandardCharsets.UTF_8)))))
        .tenant(FALLING_BACK, "always-traps", 650, new TenantFallback(null, FIXED_DECISION))
        .publish();
    RunningRater example = RunningRater.serve(Fixtures.examplesDir().resolve("config"));
    try {
      RunningRater other = RunningRater.serve(dir);
      ContractRaters raters = new ContractRaters(example, other);
      example.awaitRevision(1);
      other.awaitRevision(1);
      return raters;
    } catch (RuntimeException e) {
      example.close();
      throw e;
    }
  }

  /** Serves the example config. */
  RunningRater example() {
    return example;
  }

  /** Serves {@link #KEYED} and {@link #FALLING_BACK}. */
  RunningRater other() {
    return other;
  }

  @Override
  public void close() {
    example.close();
    other.close();
  }
}
