package dev.clawrate.rater.shadow;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.Decision;

/** What the candidate made of a sampled request. */
public sealed interface CandidateAnswer {

  /** A rating, and the decision the candidate tenant's threshold takes on it. */
  record Rated(double rating, Decision decision) implements CandidateAnswer {}

  /**
   * No rating: the candidate trapped, ran out of time, returned no numeric rating, refused the
   * input, or the input was over its own size limit.
   *
   * @param outcome what the rating API would have answered, had the candidate been live
   */
  record Failed(Outcome outcome) implements CandidateAnswer {}
}
