package dev.clawrate.rater.rating;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.clawrate.contract.metrics.Outcome;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Rates one request body for one tenant: checks the body is a JSON object, wraps it in the ABI
 * input, calls the model, reads its output and renders the rating API's answer, the tenant's
 * fallback's when its model failed. No I/O: the HTTP layer reads the body and writes the answer.
 */
public final class Rater {

  private static final JsonFactory JSON = new JsonFactory();

  private Rater() {}

  /**
   * @throws RatingException when the body is not a JSON object, the model rejects it, or the model
   *     fails and no fallback answers in its place
   */
  public static Answer rate(TenantRoute route, byte[] body, int bodyLength) throws RatingException {
    return rate(route, body, bodyLength, Integer.MAX_VALUE);
  }

  /**
   * Rates under a time bound tighter than the models' own limits, as a network thread must.
   *
   * @param boundMillis the longest any model call of this rating may take, or {@code
   *     Integer.MAX_VALUE} for the models' own limits
   * @throws OverNetworkBudgetException when a call was stopped at {@code boundMillis}: the rating
   *     has not failed and is to be run again without the bound
   */
  public static Answer rate(TenantRoute route, byte[] body, int bodyLength, int boundMillis)
      throws RatingException {
    checkJsonObject(body, bodyLength);
    byte[] input = abiInput(route, body, bodyLength);
    ModelAnswer own = ModelAnswer.of(route.runtime(), input, boundMillis);
    FallbackRoute fallback = route.fallback();
    if (fallback == null) {
      return ownAnswer(route, own);
    }
    return answer(route, own, fallback.call(input, bodyLength, boundMillis), fallback);
  }

  /**
   * Answers for a tenant whose own model had no capacity left for the request (its share of the
   * worker threads): its fallback stands in as for a failed model, and without one the request is
   * answered {@link Outcome#OVERLOADED}.
   *
   * @param callFallbackModel whether the fallback model may run on this thread; when not, only a
   *     fixed decision can stand in
   */
  public static Answer rateOverloaded(
      TenantRoute route, byte[] body, int bodyLength, String message, boolean callFallbackModel)
      throws RatingException {
    ModelAnswer.Failed own =
        new ModelAnswer.Failed(Outcome.OVERLOADED, FallbackReason.MODEL_OVERLOADED, message);
    FallbackRoute fallback = route.fallback();
    if (fallback == null) {
      return ownAnswer(route, own);
    }
    checkJsonObject(body, bodyLength);
    Supplier<ModelAnswer> fallbackModel =
        callFallbackModel
            ? fallback.call(abiInput(route, body, bodyLength), bodyLength, Integer.MAX_VALUE)
            : null;
    return answer(route, own, fallbackModel, fallback);
  }

  private static Answer answer(
      TenantRoute route,
      ModelAnswer own,
      Supplier<ModelAnswer> fallbackModel,
      FallbackRoute fallback)
      throws RatingException {
    FallbackChoice choice = FallbackChoice.choose(own, fallbackModel, fallback.decision());
    if (choice instanceof FallbackChoice.FallbackModel byModel) {
      return byFallbackModel(route, fallback, byModel);
    }
    if (choice instanceof FallbackChoice.FixedDecision fixed) {
      return byFixedDecision(route, fixed);
    }
    return ownAnswer(route, own);
  }

  private static Rating ownAnswer(TenantRoute route, ModelAnswer own) throws RatingException {
    if (own instanceof ModelAnswer.Rated rated) {
      Decision decision = Decision.of(rated.rating(), route.threshold());
      return new Rating(
          route,
          rated.rating(),
          decision,
          ResponseBodies.rated(route.responsePrefix(), rated, decision));
    }
    if (own instanceof ModelAnswer.Rejected rejected) {
      throw new RatingException(Outcome.MODEL_REJECTED_INPUT, rejected.message());
    }
    ModelAnswer.Failed failed = (ModelAnswer.Failed) own;
    throw new RatingException(failed.outcome(), failed.message());
  }

  private static FallbackAnswer byFallbackModel(
      TenantRoute route, FallbackRoute fallback, FallbackChoice.FallbackModel byModel) {
    ModelAnswer.Rated rated = byModel.answer();
    FallbackReason reason = byModel.own().reason();
    Decision decision = Decision.of(rated.rating(), route.threshold());
    return new FallbackAnswer(
        route,
        reason,
        FallbackAnswer.AnsweredBy.FALLBACK_MODEL,
        byModel.own().message(),
        rated.rating(),
        decision.label(),
        ResponseBodies.ratedInstead(fallback.responsePrefix(), rated, decision, reason));
  }

  /** Names the tenant's own model: no other model answered, and the decision is the tenant's. */
  private static FallbackAnswer byFixedDecision(
      TenantRoute route, FallbackChoice.FixedDecision fixed) {
    FallbackReason reason = fixed.own().reason();
    return new FallbackAnswer(
        route,
        reason,
        FallbackAnswer.AnsweredBy.DECISION,
        fixed.own().message(),
        null,
        fixed.decision(),
        ResponseBodies.decidedInstead(route.responsePrefix(), fixed.decision(), reason));
  }

  private static void checkJsonObject(byte[] body, int length) throws RatingException {
    try (JsonParser parser = JSON.createParser(body, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new RatingException(Outcome.BAD_REQUEST, "request body must be a JSON object");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new RatingException(
            Outcome.BAD_REQUEST, "request body has content after its JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RatingException(Outcome.BAD_REQUEST, "request body cannot be read: " + e);
    }
  }

  static byte[] abiInput(TenantRoute route, byte[] body, int bodyLength) {
    byte[] prefix = route.inputPrefix();
    byte[] input = new byte[prefix.length + bodyLength + 1];
    System.arraycopy(prefix, 0, input, 0, prefix.length);
    System.arraycopy(body, 0, input, prefix.length, bodyLength);
    input[input.length - 1] = '}';
    return input;
  }
}
