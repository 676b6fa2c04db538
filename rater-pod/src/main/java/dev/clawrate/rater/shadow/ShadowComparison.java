package dev.clawrate.rater.shadow;

import dev.clawrate.rater.rating.Decision;

/**
 * One sample's verdict. Only samples the live model rated are compared: when the live answer was an
 * error or a fallback's, there is nothing of the live model's to compare the candidate with.
 *
 * @param result agree, flip or candidate_error
 * @param liveRating the live model's rating
 * @param candidateRating the candidate's rating; NaN for {@link ShadowResult#CANDIDATE_ERROR}
 */
public record ShadowComparison(ShadowResult result, double liveRating, double candidateRating) {

  public static ShadowComparison compare(
      double liveRating, Decision liveDecision, CandidateAnswer candidate) {
    if (candidate instanceof CandidateAnswer.Rated rated) {
      ShadowResult result =
          rated.decision() == liveDecision ? ShadowResult.AGREE : ShadowResult.FLIP;
      return new ShadowComparison(result, liveRating, rated.rating());
    }
    return new ShadowComparison(ShadowResult.CANDIDATE_ERROR, liveRating, Double.NaN);
  }

  /** Whether both rated, so their ratings can be compared. */
  public boolean bothRated() {
    return result != ShadowResult.CANDIDATE_ERROR;
  }

  /** |candidate - live|; NaN unless both rated. */
  public double delta() {
    return Math.abs(candidateRating - liveRating);
  }
}
