package dev.clawrate.rater.audit;

import dev.clawrate.rater.rating.Answer;
import dev.clawrate.rater.rating.FallbackAnswer;
import dev.clawrate.rater.rating.Rating;
import dev.clawrate.rater.rating.TenantRoute;

/**
 * One answer of the rating API as the decision log keeps it.
 *
 * @param epochMillis when the answer was sent
 * @param requestId the answer's {@code X-Request-Id}
 * @param track the rater's track
 * @param revision the snapshot revision it was answered on; null when none was loaded
 * @param tenant the tenant; null when the request named no known tenant (a caller's unknown name is
 *     not recorded)
 * @param model the tenant's model; null without a tenant
 * @param digest the digest of the tenant's model; null without a tenant
 * @param status the HTTP status
 * @param outcome {@code ok}, {@code fallback} or the API's error code
 * @param rating the rating answered; null for errors and fixed-decision fallbacks
 * @param decision the decision answered; null for errors
 * @param fallback what stood in for the tenant's failed model; null when it did not fail
 * @param latencyNanos from the request's arrival to its answer
 * @param input the request body, a JSON object, for tenants that opted in; null otherwise
 */
public record AuditRecord(
    long epochMillis,
    String requestId,
    String track,
    Long revision,
    String tenant,
    String model,
    String digest,
    int status,
    String outcome,
    Double rating,
    String decision,
    Fallback fallback,
    long latencyNanos,
    byte[] input) {

  /**
   * @param reason how the tenant's model failed
   * @param answer {@code fallback_model} or {@code decision}
   * @param model the fallback model that answered; null for a fixed decision
   * @param digest its digest; null for a fixed decision
   */
  public record Fallback(String reason, String answer, String model, String digest) {}

  /** A 200 answer. */
  static AuditRecord answered(
      long epochMillis,
      String requestId,
      String track,
      long revision,
      Answer answer,
      long latencyNanos,
      byte[] input) {
    TenantRoute route = answer.route();
    if (answer instanceof Rating rating) {
      return new AuditRecord(
          epochMillis,
          requestId,
          track,
          revision,
          route.tenant(),
          route.model(),
          route.digest(),
          200,
          "ok",
          rating.value(),
          rating.decision().label(),
          null,
          latencyNanos,
          input);
    }
    FallbackAnswer fallback = (FallbackAnswer) answer;
    return new AuditRecord(
        epochMillis,
        requestId,
        track,
        revision,
        route.tenant(),
        route.model(),
        route.digest(),
        200,
        "fallback",
        fallback.rating(),
        fallback.decision(),
        new Fallback(
            fallback.reason().label(),
            fallback.answeredBy().label(),
            fallback.fallbackModel(),
            fallback.fallbackDigest()),
        latencyNanos,
        input);
  }

  /** An error answer; {@code route} null when no tenant was found. */
  static AuditRecord failed(
      long epochMillis,
      String requestId,
      String track,
      Long revision,
      TenantRoute route,
      int status,
      String code,
      long latencyNanos) {
    return new AuditRecord(
        epochMillis,
        requestId,
        track,
        revision,
        route == null ? null : route.tenant(),
        route == null ? null : route.model(),
        route == null ? null : route.digest(),
        status,
        code,
        null,
        null,
        null,
        latencyNanos,
        null);
  }
}
