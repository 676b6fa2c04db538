package dev.clawrate.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.RatingModelStatus;
import dev.clawrate.operator.status.ConditionSet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordedValidationTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static RatingModelStatus validated(boolean validated) {
    RatingModelStatus status = new RatingModelStatus();
    status.setDigest(DIGEST);
    status.setEntrypoint("rate");
    status.setSizeBytes(1234L);
    status.setExports(List.of("alloc", "memory", "rate"));
    status.setInterpretedFunctions(1);
    status.setLimits(ModelLimitsSpec.from(ModelLimits.DEFAULTS));
    status.setConditions(
        new ConditionSet(List.of(), 1, Instant.EPOCH)
            .set(ClawrateApi.VALIDATED, validated, "Validated", "module passed")
            .toList());
    return status;
  }

  @Test
  void theSameDigestEntryPointAndLimitsReuseWhatStatusRecords() {
    ModuleCheck.Passed passed =
        RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, validated(true));
    assertNotNull(passed);
    assertEquals(DIGEST, passed.digest());
    assertEquals(1234, passed.sizeBytes());
    assertEquals(List.of("alloc", "memory", "rate"), passed.exports());
    assertEquals(1, passed.interpretedFunctions());
  }

  @Test
  void anotherModuleIsValidatedAgain() {
    assertNull(
        RecordedValidation.of(
            "sha256:" + "cd".repeat(32), "rate", ModelLimits.DEFAULTS, validated(true)));
  }

  @Test
  void anotherEntryPointOrLimitsAreValidatedAgain() {
    assertNull(RecordedValidation.of(DIGEST, "score", ModelLimits.DEFAULTS, validated(true)));
    assertNull(
        RecordedValidation.of(
            DIGEST,
            "rate",
            new ModelLimits(
                ModelLimits.DEFAULT_MAX_MEMORY_PAGES,
                ModelLimits.DEFAULT_TIMEOUT_MILLIS + 1,
                ModelLimits.DEFAULT_MAX_INPUT_BYTES),
            validated(true)));
  }

  @Test
  void aDigestNotValidatedLastIsValidatedAgain() {
    assertNull(RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, validated(false)));
    RatingModelStatus noConditions = validated(true);
    noConditions.setConditions(null);
    assertNull(RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, noConditions));
  }

  @Test
  void aStatusMissingWhatItReportsIsValidatedAgain() {
    assertNull(RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, null));
    RatingModelStatus noExports = validated(true);
    noExports.setExports(null);
    assertNull(RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, noExports));
    RatingModelStatus noSize = validated(true);
    noSize.setSizeBytes(null);
    assertNull(RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, noSize));
    RatingModelStatus uncounted = validated(true);
    uncounted.setInterpretedFunctions(null);
    assertNull(RecordedValidation.of(DIGEST, "rate", ModelLimits.DEFAULTS, uncounted));
  }
}
