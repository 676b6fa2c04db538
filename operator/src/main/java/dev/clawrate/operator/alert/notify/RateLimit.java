package dev.clawrate.operator.alert.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket for one receiver: {@code perSecond} tokens a second, at most {@code burst} saved
 * up. Services limit what one webhook or key accepts (Slack's incoming webhooks about one message a
 * second, PagerDuty about 120 events a minute per routing key) and answer 429 beyond it; waiting
 * here first keeps a burst of alerts from being refused. Over the limit a notification waits, it is
 * never dropped.
 *
 * <p>Not thread-safe: each bucket belongs to one receiver's queue, which only the sender's thread
 * touches.
 */
public final class RateLimit {

  /** Below a millionth of a token, floating-point error rather than a real shortfall. */
  private static final double EPSILON = 1e-6;

  /**
   * @param perSecond tokens added a second
   * @param burst the most tokens saved up, and the tokens a new bucket starts with
   */
  public record Settings(double perSecond, int burst) {

    public static final Settings DEFAULT = new Settings(1.0, 5);

    public Settings {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("rate limit must be a positive number per second");
      }
      if (burst < 1) {
        throw new IllegalArgumentException("rate limit burst must be at least 1");
      }
    }
  }

  private final Settings settings;
  private final Clock clock;
  private double tokens;
  private Instant refilled;

  public RateLimit(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.tokens = settings.burst();
    this.refilled = clock.instant();
  }

  /**
   * Takes a token if there is one: then {@link Duration#ZERO}. Otherwise takes nothing and says how
   * long until there will be one.
   */
  public Duration acquire() {
    Instant now = clock.instant();
    if (now.isAfter(refilled)) {
      double seconds = Duration.between(refilled, now).toNanos() / 1e9;
      tokens = Math.min(settings.burst(), tokens + seconds * settings.perSecond());
      refilled = now;
    }
    if (tokens >= 1 - EPSILON) {
      tokens = Math.max(0, tokens - 1);
      return Duration.ZERO;
    }
    double seconds = (1 - tokens) / settings.perSecond();
    return Duration.ofNanos(Math.max(1, (long) Math.ceil(seconds * 1e9)));
  }
}
