package dev.clawrate.rater.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.clawrate.contract.metrics.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FallbackChoiceTest {

  private static final ModelAnswer.Rated RATED = rated(700);
  private static final ModelAnswer.Rejected REJECTED = new ModelAnswer.Rejected("too young");
  private static final ModelAnswer.Failed TRAPPED =
      new ModelAnswer.Failed(Outcome.MODEL_TRAP, FallbackReason.MODEL_TRAP, "model trapped");
  private static final ModelAnswer.Failed TIMED_OUT =
      new ModelAnswer.Failed(Outcome.MODEL_TIMEOUT, FallbackReason.MODEL_TIMEOUT, "too slow");

  private final AtomicInteger fallbackCalls = new AtomicInteger();

  private static ModelAnswer.Rated rated(int rating) {
    return new ModelAnswer.Rated(
        rating,
        Integer.toString(rating),
        ("{\"rating\":" + rating + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** A fallback model answering {@code answer}, counting its calls. */
  private Supplier<ModelAnswer> fallbackModel(ModelAnswer answer) {
    return () -> {
      fallbackCalls.incrementAndGet();
      return answer;
    };
  }

  @Test
  void aRatingOfTheTenantsModelStandsAndNoFallbackIsCalled() {
    assertEquals(
        new FallbackChoice.OwnAnswer(RATED),
        FallbackChoice.choose(RATED, fallbackModel(rated(500)), "refer"));
    assertEquals(0, fallbackCalls.get());
  }

  @Test
  void aRejectionIsTheCallersProblemAndStands() {
    assertEquals(
        new FallbackChoice.OwnAnswer(REJECTED),
        FallbackChoice.choose(REJECTED, fallbackModel(rated(500)), "refer"));
    assertEquals(0, fallbackCalls.get());
  }

  @Test
  void aFailedModelIsAnsweredForByTheFallbackModelFirst() {
    ModelAnswer.Rated backup = rated(500);
    FallbackChoice choice = FallbackChoice.choose(TRAPPED, fallbackModel(backup), "refer");
    assertEquals(new FallbackChoice.FallbackModel(backup, TRAPPED), choice);
    assertEquals(1, fallbackCalls.get());
  }

  @Test
  void theFixedDecisionAnswersWhenTheFallbackModelFailsToo() {
    assertEquals(
        new FallbackChoice.FixedDecision("refer", TIMED_OUT),
        FallbackChoice.choose(TIMED_OUT, fallbackModel(TRAPPED), "refer"));
  }

  @Test
  void aRejectionByTheFallbackModelIsNoAnswerEither() {
    assertEquals(
        new FallbackChoice.FixedDecision("refer", TRAPPED),
        FallbackChoice.choose(TRAPPED, fallbackModel(REJECTED), "refer"));
    assertEquals(
        new FallbackChoice.OwnAnswer(TRAPPED),
        FallbackChoice.choose(TRAPPED, fallbackModel(REJECTED), null));
  }

  @Test
  void theFixedDecisionAnswersAloneWhenThereIsNoModelToCall() {
    assertEquals(
        new FallbackChoice.FixedDecision("manual_review", TRAPPED),
        FallbackChoice.choose(TRAPPED, null, "manual_review"));
  }

  @Test
  void withNothingThatAnswersTheTenantsModelsErrorStands() {
    FallbackChoice choice = FallbackChoice.choose(TIMED_OUT, fallbackModel(TRAPPED), null);
    assertEquals(new FallbackChoice.OwnAnswer(TIMED_OUT), choice);
    assertSame(TIMED_OUT, ((FallbackChoice.OwnAnswer) choice).answer());
    assertEquals(new FallbackChoice.OwnAnswer(TRAPPED), FallbackChoice.choose(TRAPPED, null, null));
  }
}
