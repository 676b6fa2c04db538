package dev.clawrate.rater.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.Decision;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {

  @Test
  void theSameDecisionAgreesWhateverTheRatings() {
    ShadowComparison comparison =
        ShadowComparison.compare(
            700, Decision.APPROVE, new CandidateAnswer.Rated(650, Decision.APPROVE));
    assertEquals(ShadowResult.AGREE, comparison.result());
    assertTrue(comparison.bothRated());
    assertEquals(50, comparison.delta());
    assertEquals(700, comparison.liveRating());
    assertEquals(650, comparison.candidateRating());
  }

  @Test
  void anotherDecisionFlipsAndTheDeltaIsAbsolute() {
    ShadowComparison down =
        ShadowComparison.compare(
            0.72, Decision.APPROVE, new CandidateAnswer.Rated(0.68, Decision.DECLINE));
    assertEquals(ShadowResult.FLIP, down.result());
    assertEquals(0.04, down.delta(), 1e-12);
    ShadowComparison up =
        ShadowComparison.compare(
            500, Decision.DECLINE, new CandidateAnswer.Rated(700, Decision.APPROVE));
    assertEquals(ShadowResult.FLIP, up.result());
    assertEquals(200, up.delta());
  }

  @Test
  void identicalRatingsAgreeWithNoDelta() {
    ShadowComparison same =
        ShadowComparison.compare(
            3, Decision.DECLINE, new CandidateAnswer.Rated(3, Decision.DECLINE));
    assertEquals(ShadowResult.AGREE, same.result());
    assertEquals(0, same.delta());
  }

  @Test
  void aCandidateThatDidNotRateIsAnErrorWithNoRatingToCompare() {
    for (Outcome outcome :
        new Outcome[] {
          Outcome.MODEL_TRAP,
          Outcome.MODEL_TIMEOUT,
          Outcome.MODEL_BAD_OUTPUT,
          Outcome.MODEL_REJECTED_INPUT,
          Outcome.PAYLOAD_TOO_LARGE
        }) {
      ShadowComparison comparison =
          ShadowComparison.compare(700, Decision.APPROVE, new CandidateAnswer.Failed(outcome));
      assertEquals(ShadowResult.CANDIDATE_ERROR, comparison.result(), outcome.label());
      assertFalse(comparison.bothRated());
      assertTrue(Double.isNaN(comparison.delta()));
      assertEquals(700, comparison.liveRating());
    }
  }

  @Test
  void resultsAreLabelledAsTheMetricsSay() {
    assertEquals("agree", ShadowResult.AGREE.label());
    assertEquals("flip", ShadowResult.FLIP.label());
    assertEquals("candidate_error", ShadowResult.CANDIDATE_ERROR.label());
  }

  @Test
  void aRequestIsSampledBelowTheRate() {
    ShadowRoute tenth = new ShadowRoute("t", "m", 0.1, null);
    assertTrue(tenth.sampled(0));
    assertTrue(tenth.sampled(0.0999));
    assertFalse(tenth.sampled(0.1));
    assertFalse(tenth.sampled(0.9));
    ShadowRoute every = new ShadowRoute("t", "m", 1, null);
    assertTrue(every.sampled(0.9999999999));
  }
}
