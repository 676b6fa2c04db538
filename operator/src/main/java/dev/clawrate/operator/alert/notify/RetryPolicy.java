package dev.clawrate.operator.alert.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * Decides what a delivery attempt's result means and when to try again: any 2xx delivers; a 5xx,
 * 429, 408 or network error passes, so it is retried after an exponential backoff with full jitter
 * (a random wait between zero and {@code base * 2^(attempts-1)}, capped at {@code maxBackoff}, so
 * many receivers failing at once do not retry in step); anything else (another 4xx, a redirect) is
 * final for this address and is retried every {@code maxBackoff}. A {@code Retry-After} is honoured
 * up to {@code maxRetryAfter}, so a hostile or broken receiver cannot park a queue forever.
 */
public final class RetryPolicy {

  public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofHours(1);

  private static final Pattern DELTA_SECONDS = Pattern.compile("\\d+");

  /** What to do after an attempt: the attempt's state and how long to wait before the next. */
  public record Decision(DeliveryState state, Duration delay) {}

  private final Duration base;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1): the jitter
   */
  public RetryPolicy(
      Duration base, Duration maxBackoff, Duration maxRetryAfter, DoubleSupplier random) {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base backoff must be positive");
    }
    if (maxBackoff.compareTo(base) < 0) {
      throw new IllegalArgumentException("max backoff must be at least the base backoff");
    }
    if (maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("max Retry-After must not be negative");
    }
    this.base = base;
    this.maxBackoff = maxBackoff;
    this.maxRetryAfter = maxRetryAfter;
    this.random = random;
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(
        DEFAULT_BASE,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_RETRY_AFTER,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** What a response's status means, before any wait is decided. */
  public static DeliveryState classify(int status) {
    if (status >= 200 && status < 300) {
      return DeliveryState.DELIVERED;
    }
    if (status >= 500 || status == 429 || status == 408) {
      return DeliveryState.RETRYING;
    }
    return DeliveryState.REJECTED;
  }

  /**
   * @param status the response's status code
   * @param retryAfter the response's {@code Retry-After} header, or null
   * @param attempts attempts made for the notification, this one included
   * @param now when the response came, to read an HTTP-date {@code Retry-After}
   */
  public Decision afterResponse(int status, String retryAfter, int attempts, Instant now) {
    DeliveryState state = classify(status);
    Duration wait =
        switch (state) {
          case DELIVERED -> Duration.ZERO;
          case REJECTED -> maxBackoff;
          default -> backoff(attempts);
        };
    if (state != DeliveryState.DELIVERED) {
      Optional<Duration> asked = parseRetryAfter(retryAfter, now);
      if (asked.isPresent()) {
        Duration bounded = min(asked.get(), maxRetryAfter);
        wait = bounded.compareTo(wait) > 0 ? bounded : wait;
      }
    }
    return new Decision(state, wait);
  }

  /** After a connection failure, a timeout or any other I/O error: it passes, retry. */
  public Decision afterNetworkError(int attempts) {
    return new Decision(DeliveryState.RETRYING, backoff(attempts));
  }

  /** Full jitter: uniform between zero and {@code min(maxBackoff, base * 2^(attempts-1))}. */
  public Duration backoff(int attempts) {
    double ceiling =
        Math.min(
            (double) maxBackoff.toNanos(), base.toNanos() * Math.pow(2, Math.max(0, attempts - 1)));
    double share = Math.min(Math.max(random.getAsDouble(), 0), 1);
    return Duration.ofNanos((long) (ceiling * share));
  }

  /**
   * A {@code Retry-After} value as a wait from {@code now}: delta-seconds or an HTTP-date (a date
   * in the past is no wait). Empty when absent or unreadable, so a malformed header only means our
   * own backoff.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    if (DELTA_SECONDS.matcher(trimmed).matches()) {
      // More digits than a long holds is still just "very long": the cap decides.
      return Optional.of(
          trimmed.length() > 18
              ? Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)
              : Duration.ofSeconds(Long.parseLong(trimmed)));
    }
    try {
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A problem text for a status that did not deliver: the code, never what came with it. */
  public static String describe(int status) {
    if (status >= 300 && status < 400) {
      return "HTTP " + status + " (a redirect, not followed)";
    }
    return "HTTP " + status;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
