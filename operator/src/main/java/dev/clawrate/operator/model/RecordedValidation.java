package dev.clawrate.operator.model;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.RatingModelStatus;
import dev.clawrate.operator.status.ConditionSet;

/**
 * The validation a RatingModel's status already records. A module whose digest the status names as
 * validated, under the same entry point and limits, passed the ABI checks and compiled when it was
 * recorded: checking its digest is enough, and a restarted operator does not compile every model
 * again.
 */
final class RecordedValidation {

  private RecordedValidation() {}

  /**
   * @param digest the digest of the module the spec names now
   * @return what the status records of that module, or null when it does not record it as validated
   *     for this entry point and these limits
   */
  static ModuleCheck.Passed of(
      String digest, String entrypoint, ModelLimits limits, RatingModelStatus recorded) {
    if (recorded == null
        || digest == null
        || !digest.equals(recorded.getDigest())
        || !entrypoint.equals(recorded.getEntrypoint())
        || recorded.getSizeBytes() == null
        || recorded.getExports() == null
        // Recorded by an operator that did not count them: compile once more to know.
        || recorded.getInterpretedFunctions() == null
        || !limits.equals(ModelLimitsSpec.toModelLimits(recorded.getLimits()))
        || !ConditionSet.isTrue(recorded.getConditions(), ClawrateApi.VALIDATED)) {
      return null;
    }
    return new ModuleCheck.Passed(
        recorded.getDigest(),
        recorded.getSizeBytes().intValue(),
        recorded.getExports(),
        recorded.getInterpretedFunctions());
  }
}
