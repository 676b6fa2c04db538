package dev.clawrate.operator.alert.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link NotificationSender} delivers.
 *
 * @param retry when to retry, and how long to wait
 * @param rateLimit each receiver's token bucket
 * @param connectTimeout the longest a connection to a receiver may take to open
 * @param callTimeout the longest one attempt may take in all (connect, send, read the status)
 * @param maxQueued the most notifications one receiver's queue holds; beyond it the oldest is
 *     dropped, so a receiver down for days while alerts flap costs bounded memory
 */
public record DeliverySettings(
    RetryPolicy retry,
    RateLimit.Settings rateLimit,
    Duration connectTimeout,
    Duration callTimeout,
    int maxQueued) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(15);
  public static final int DEFAULT_MAX_QUEUED = 1000;

  public DeliverySettings {
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("call timeout must be positive");
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("a receiver's queue must hold at least 1 notification");
    }
  }

  public static DeliverySettings defaults() {
    return new DeliverySettings(
        RetryPolicy.defaults(),
        RateLimit.Settings.DEFAULT,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_CALL_TIMEOUT,
        DEFAULT_MAX_QUEUED);
  }
}
