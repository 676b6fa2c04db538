package dev.clawrate.operator.alert.notify;

import java.time.Instant;

/**
 * The result of one attempt to deliver one notification to one receiver.
 *
 * @param state what became of it
 * @param attempts attempts made for this notification at the receiver's current address, this one
 *     included; 0 when it was dropped
 * @param problem what went wrong, in our words: a status code or an exception's class name, never
 *     the response body, the URL or the routing key; null when delivered
 * @param nextAttempt when it will be tried again; null when delivered or dropped
 */
public record DeliveryOutcome(
    DeliveryState state, int attempts, String problem, Instant nextAttempt) {}
