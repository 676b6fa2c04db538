package dev.clawrate.rater.audit;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids of {@code X-Request-Id}: a caller's own id is kept when it is safe to echo and to
 * write into the decision log, and replaced by a new one otherwise.
 */
public final class RequestIds {

  /** Long enough for a UUID, a trace id or a prefixed ULID; short enough to bound a log line. */
  public static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** The caller's id when it is valid, else a new one. */
  public static String acceptOrGenerate(String given) {
    return isValid(given) ? given : generate();
  }

  /** 1 to {@link #MAX_LENGTH} characters of letters, digits and {@code - _ . :}. */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':';
      if (!safe) {
        return false;
      }
    }
    return true;
  }

  /**
   * A random UUID-shaped id. Not {@link UUID#randomUUID()}: ids need to be unique, not unguessable,
   * and a shared SecureRandom is a lock on every request.
   */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
