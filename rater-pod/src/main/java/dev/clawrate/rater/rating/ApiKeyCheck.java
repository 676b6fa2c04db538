package dev.clawrate.rater.rating;

import dev.clawrate.contract.metrics.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks a presented API key against a tenant's accepted key hashes. Only hashes are held in config
 * and memory, and the comparison takes the same time wherever the bytes differ.
 */
public final class ApiKeyCheck {

  private ApiKeyCheck() {}

  /**
   * @param presented the key from the request, or null when none was sent
   * @throws RatingException UNAUTHENTICATED without a key, FORBIDDEN with a key not accepted
   */
  public static void verify(TenantRoute route, String presented) throws RatingException {
    if (!route.requiresApiKey()) {
      return;
    }
    if (presented == null || presented.isEmpty()) {
      throw new RatingException(
          Outcome.UNAUTHENTICATED,
          "tenant " + route.tenant() + " requires an API key (Authorization: Bearer <key>)");
    }
    byte[] hash = sha256(presented);
    boolean accepted = false;
    for (byte[] candidate : route.apiKeySha256()) {
      accepted |= MessageDigest.isEqual(candidate, hash);
    }
    if (!accepted) {
      throw new RatingException(
          Outcome.FORBIDDEN, "the API key is not valid for tenant " + route.tenant());
    }
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }
}
