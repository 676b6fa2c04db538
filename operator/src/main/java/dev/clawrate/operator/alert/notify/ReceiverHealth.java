package dev.clawrate.operator.alert.notify;

import java.time.Instant;

/**
 * How one receiver is doing, for status ("receiver X failing since T, N attempts, last problem").
 *
 * @param pending notifications queued for it, the one in flight included
 * @param failedAttempts failed attempts since it last accepted a notification
 * @param failingSince the first of those failed attempts; null while it is not failing
 * @param lastProblem the last failed attempt's problem (see {@link DeliveryOutcome#problem()});
 *     null while it is not failing
 * @param lastOutcome the state of its last attempt; null before any
 * @param lastDelivered when it last accepted a notification; null before any
 * @param nextAttempt when the next attempt is due, waiting out a backoff or the rate limit; null
 *     when none is waiting
 */
public record ReceiverHealth(
    int pending,
    int failedAttempts,
    Instant failingSince,
    String lastProblem,
    DeliveryState lastOutcome,
    Instant lastDelivered,
    Instant nextAttempt) {

  /** A receiver with nothing queued and nothing tried yet. */
  public static final ReceiverHealth IDLE = new ReceiverHealth(0, 0, null, null, null, null, null);

  public boolean failing() {
    return failingSince != null;
  }
}
