package dev.clawrate.operator.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final Duration BASE = Duration.ofSeconds(1);
  private static final Duration CAP = Duration.ofMinutes(5);
  private static final Duration RETRY_AFTER_CAP = Duration.ofHours(1);

  /** The largest wait full jitter can draw, so the ceiling itself is what is checked. */
  private static RetryPolicy atCeiling() {
    return new RetryPolicy(BASE, CAP, RETRY_AFTER_CAP, () -> 1.0);
  }

  private static RetryPolicy noJitterWait() {
    return new RetryPolicy(BASE, CAP, RETRY_AFTER_CAP, () -> 0.0);
  }

  @Test
  void statusesAreDeliveredRetriedOrRejected() {
    for (int status : new int[] {200, 201, 202, 204}) {
      assertEquals(DeliveryState.DELIVERED, RetryPolicy.classify(status), "" + status);
    }
    for (int status : new int[] {500, 502, 503, 504, 599, 429, 408}) {
      assertEquals(DeliveryState.RETRYING, RetryPolicy.classify(status), "" + status);
    }
    for (int status : new int[] {400, 401, 403, 404, 410, 413, 301, 302, 307, 308}) {
      assertEquals(DeliveryState.REJECTED, RetryPolicy.classify(status), "" + status);
    }
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy policy = atCeiling();

    assertEquals(Duration.ofSeconds(1), policy.backoff(1));
    assertEquals(Duration.ofSeconds(2), policy.backoff(2));
    assertEquals(Duration.ofSeconds(4), policy.backoff(3));
    assertEquals(Duration.ofSeconds(256), policy.backoff(9));
    assertEquals(CAP, policy.backoff(10));
    assertEquals(CAP, policy.backoff(10_000), "no overflow after many attempts");
  }

  @Test
  void fullJitterDrawsBetweenZeroAndTheCeiling() {
    assertEquals(Duration.ZERO, noJitterWait().backoff(5));
    RetryPolicy half = new RetryPolicy(BASE, CAP, RETRY_AFTER_CAP, () -> 0.5);
    assertEquals(Duration.ofSeconds(4), half.backoff(4));
    RetryPolicy outOfRange = new RetryPolicy(BASE, CAP, RETRY_AFTER_CAP, () -> 7.0);
    assertEquals(Duration.ofSeconds(8), outOfRange.backoff(4), "a bad random source is bounded");
  }

  @Test
  void aDeliveryWaitsForNothing() {
    RetryPolicy.Decision decision = atCeiling().afterResponse(202, "120", 3, NOW);

    assertEquals(new RetryPolicy.Decision(DeliveryState.DELIVERED, Duration.ZERO), decision);
  }

  @Test
  void retryAfterInSecondsIsHonouredWhenLongerThanTheBackoff() {
    RetryPolicy policy = atCeiling();

    assertEquals(
        new RetryPolicy.Decision(DeliveryState.RETRYING, Duration.ofSeconds(2)),
        noJitterWait().afterResponse(429, "2", 1, NOW));
    assertEquals(
        Duration.ofSeconds(4),
        policy.afterResponse(503, "2", 3, NOW).delay(),
        "the backoff when it is longer");
    assertEquals(Duration.ofSeconds(2), policy.afterResponse(503, " 2 ", 1, NOW).delay());
  }

  @Test
  void retryAfterAsAnHttpDateIsAWaitFromNow() {
    assertEquals(
        Duration.ofSeconds(30),
        noJitterWait().afterResponse(503, "Sat, 01 Mar 2025 10:00:30 GMT", 1, NOW).delay());
    assertEquals(
        Duration.ZERO,
        noJitterWait().afterResponse(503, "Sat, 01 Mar 2025 09:00:00 GMT", 1, NOW).delay(),
        "a date in the past is no wait");
  }

  @Test
  void retryAfterIsCappedSoAReceiverCannotParkTheQueue() {
    assertEquals(RETRY_AFTER_CAP, noJitterWait().afterResponse(429, "86400", 1, NOW).delay());
    assertEquals(
        RETRY_AFTER_CAP,
        noJitterWait().afterResponse(429, "99999999999999999999999999", 1, NOW).delay());
    assertEquals(
        RETRY_AFTER_CAP,
        noJitterWait().afterResponse(503, "Fri, 01 Mar 2030 10:00:00 GMT", 1, NOW).delay());
  }

  @Test
  void anUnreadableRetryAfterLeavesOurOwnBackoff() {
    RetryPolicy policy = atCeiling();
    for (String header : new String[] {"soon", "-5", "1.5", "", "Tomorrow, 10:00"}) {
      assertEquals(
          Duration.ofSeconds(2), policy.afterResponse(503, header, 2, NOW).delay(), header);
      assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(header, NOW), header);
    }
    assertEquals(Duration.ofSeconds(2), policy.afterResponse(503, null, 2, NOW).delay());
  }

  @Test
  void aRejectionIsRetriedOnTheSlowCadence() {
    assertEquals(
        new RetryPolicy.Decision(DeliveryState.REJECTED, CAP),
        noJitterWait().afterResponse(404, null, 1, NOW));
    assertEquals(
        new RetryPolicy.Decision(DeliveryState.REJECTED, CAP),
        noJitterWait().afterResponse(302, null, 7, NOW));
    assertEquals(
        Duration.ofMinutes(30),
        noJitterWait().afterResponse(403, "1800", 1, NOW).delay(),
        "a longer Retry-After still counts");
  }

  @Test
  void aNetworkErrorIsRetriedWithBackoff() {
    assertEquals(
        new RetryPolicy.Decision(DeliveryState.RETRYING, Duration.ofSeconds(8)),
        atCeiling().afterNetworkError(4));
  }

  @Test
  void problemsNameTheStatusOnly() {
    assertEquals("HTTP 503", RetryPolicy.describe(503));
    assertEquals("HTTP 404", RetryPolicy.describe(404));
    assertTrue(RetryPolicy.describe(302).contains("redirect"));
  }

  @Test
  void settingsThatMakeNoSenseAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(Duration.ZERO, CAP, RETRY_AFTER_CAP, () -> 0));
    assertThrows(
        IllegalArgumentException.class, () -> new RetryPolicy(CAP, BASE, RETRY_AFTER_CAP, () -> 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(BASE, CAP, Duration.ofSeconds(-1), () -> 0));
  }
}
