package dev.clawrate.operator.metrics;

/**
 * What a stable rater reports of shadowing a candidate model: each shadowed request rated by both
 * the live model and the candidate, and compared. Cumulative counts, or an increase of them.
 *
 * @param agree comparisons where both took the same decision
 * @param flip comparisons where the decisions differed
 * @param candidateError comparisons the candidate could not rate
 * @param skipped requests not shadowed (all reasons together)
 * @param deltaSum the sum of the rating differences; not a counter (differences may be negative),
 *     so it says nothing of restarts
 * @param deltaCount the number of rating differences
 * @param liveRatings the live model's ratings of the shadowed requests
 * @param candidateRatings the candidate's ratings of them
 */
public record ShadowFigures(
    double agree,
    double flip,
    double candidateError,
    double skipped,
    double deltaSum,
    double deltaCount,
    Histogram liveRatings,
    Histogram candidateRatings) {

  public static final ShadowFigures NONE =
      new ShadowFigures(0, 0, 0, 0, 0, 0, Histogram.EMPTY, Histogram.EMPTY);

  public ShadowFigures {
    Counts.requireCount("agree", agree);
    Counts.requireCount("flip", flip);
    Counts.requireCount("candidateError", candidateError);
    Counts.requireCount("skipped", skipped);
    Counts.requireFinite("deltaSum", deltaSum);
    Counts.requireCount("deltaCount", deltaCount);
    if (liveRatings == null || candidateRatings == null) {
      throw new IllegalArgumentException("shadow rating histograms must not be null");
    }
  }

  /** Shadow samples: the requests both models were asked to rate. */
  public double samples() {
    return agree + flip + candidateError;
  }

  public ShadowFigures plus(ShadowFigures other) {
    return new ShadowFigures(
        agree + other.agree,
        flip + other.flip,
        candidateError + other.candidateError,
        skipped + other.skipped,
        deltaSum + other.deltaSum,
        deltaCount + other.deltaCount,
        liveRatings.plus(other.liveRatings),
        candidateRatings.plus(other.candidateRatings));
  }

  /** Field by field; the caller has ruled out a reset (see {@link RaterSample#minus}). */
  ShadowFigures minusWithoutReset(ShadowFigures earlier) {
    return new ShadowFigures(
        agree - earlier.agree,
        flip - earlier.flip,
        candidateError - earlier.candidateError,
        skipped - earlier.skipped,
        deltaSum - earlier.deltaSum,
        deltaCount - earlier.deltaCount,
        liveRatings.minus(earlier.liveRatings),
        candidateRatings.minus(earlier.candidateRatings));
  }

  /** Whether a counter holds less than in {@code earlier}. */
  boolean fellBelow(ShadowFigures earlier) {
    return agree < earlier.agree
        || flip < earlier.flip
        || candidateError < earlier.candidateError
        || skipped < earlier.skipped
        || deltaCount < earlier.deltaCount
        || liveRatings.fellBelow(earlier.liveRatings)
        || candidateRatings.fellBelow(earlier.candidateRatings);
  }
}
