package dev.clawrate.rater.http;

import java.time.Duration;

/**
 * What one client connection may cost the rater: how long it may take to send a request's head and
 * body, how long it may sit idle between requests, how large a head may be, and how many
 * connections a port keeps open at once.
 *
 * @param headerTimeout the most time from a request's first byte to the end of its headers
 * @param bodyTimeout the most time from the end of a request's headers to the end of its body
 * @param idleTimeout how long a keep-alive connection may wait for its next request; longer than
 *     the idle timeout of the proxies in front (60 s for most), so they close first
 * @param maxHeaderBytes the largest request line and headers answered with something other than
 *     431; see {@link #hardHeaderBytes()}
 * @param maxHeaders the most header lines answered with something other than 431
 * @param maxConnections connections the rating port keeps open at once; beyond them it stops
 *     accepting until one closes, and new connections wait in the kernel's accept queue
 * @param maxHealthConnections the same for the health port, counted apart so that a flood on the
 *     rating port never keeps a probe or a scrape out
 */
public record HttpLimits(
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxHeaderBytes,
    int maxHeaders,
    int maxConnections,
    int maxHealthConnections) {

  public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
  public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 10;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 75;
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
  public static final int DEFAULT_MAX_HEADERS = 100;
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final int DEFAULT_MAX_HEALTH_CONNECTIONS = 64;

  /**
   * Undertow's own limits are this many times ours. A head between the two reaches the handlers and
   * gets a 431 in the API's shape; one beyond Undertow's limit is cut off by Undertow's parser with
   * a bare 400 and a closed connection, as there is no hook for its answer.
   */
  static final int HARD_LIMIT_FACTOR = 4;

  public HttpLimits {
    positive(headerTimeout, "headerTimeout");
    positive(bodyTimeout, "bodyTimeout");
    positive(idleTimeout, "idleTimeout");
    if (maxHeaderBytes < 1 || maxHeaders < 1 || maxConnections < 1 || maxHealthConnections < 1) {
      throw new IllegalArgumentException("HTTP limits must be positive");
    }
  }

  public static HttpLimits defaults() {
    return new HttpLimits(
        Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS),
        Duration.ofSeconds(DEFAULT_BODY_TIMEOUT_SECONDS),
        Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS),
        DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_MAX_HEADERS,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_HEALTH_CONNECTIONS);
  }

  /** The head size at which Undertow's parser gives up on its own. */
  int hardHeaderBytes() {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxHeaderBytes * HARD_LIMIT_FACTOR);
  }

  /** The header count at which Undertow's parser gives up on its own. */
  int hardHeaders() {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxHeaders * HARD_LIMIT_FACTOR);
  }

  private static void positive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }
}
