package dev.clawrate.rater.rating;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Renders the rating API's 200 answers after a route's precomputed start (tenant, model, digest,
 * track): a model's rating with the model's output as the result, or a fixed decision. Whatever a
 * fallback answered ends in {@code "fallback":true} and the reason, so no caller can take it for
 * the tenant's model's own answer.
 */
final class ResponseBodies {

  private static final byte[] DECISION_APPROVE = ascii(",\"decision\":\"approve\",\"result\":");
  private static final byte[] DECISION_DECLINE = ascii(",\"decision\":\"decline\",\"result\":");
  private static final byte[] END = ascii("}");
  private static final Map<FallbackReason, byte[]> FALLBACK_ENDS =
      new EnumMap<>(FallbackReason.class);

  static {
    for (FallbackReason reason : FallbackReason.values()) {
      FALLBACK_ENDS.put(
          reason, ascii(",\"fallback\":true,\"fallbackReason\":\"" + reason.label() + "\"}"));
    }
  }

  private ResponseBodies() {}

  static byte[] rated(byte[] prefix, ModelAnswer.Rated rated, Decision decision) {
    return concat(prefix, ascii(rated.ratingText()), middle(decision), rated.output(), END);
  }

  static byte[] ratedInstead(
      byte[] prefix, ModelAnswer.Rated rated, Decision decision, FallbackReason reason) {
    return concat(
        prefix,
        ascii(rated.ratingText()),
        middle(decision),
        rated.output(),
        FALLBACK_ENDS.get(reason));
  }

  /**
   * @param decision a {@link dev.clawrate.contract.snapshot.TenantFallback#DECISION}, which needs
   *     no escaping
   */
  static byte[] decidedInstead(byte[] prefix, String decision, FallbackReason reason) {
    return concat(
        prefix,
        ascii("null,\"decision\":\"" + decision + "\",\"result\":{}"),
        FALLBACK_ENDS.get(reason));
  }

  private static byte[] middle(Decision decision) {
    return decision == Decision.APPROVE ? DECISION_APPROVE : DECISION_DECLINE;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
