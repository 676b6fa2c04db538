package dev.clawrate.operator.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitTest {

  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));

  @Test
  void aBurstGoesAtOnceThenOnePerInterval() {
    RateLimit limit = new RateLimit(RateLimit.Settings.DEFAULT, clock);

    for (int i = 0; i < 5; i++) {
      assertEquals(Duration.ZERO, limit.acquire(), "token " + i + " of the burst");
    }
    assertEquals(Duration.ofSeconds(1), limit.acquire());
    assertEquals(Duration.ofSeconds(1), limit.acquire(), "a refusal takes no token");

    clock.advance(Duration.ofMillis(400));
    assertEquals(Duration.ofMillis(600), limit.acquire());
    clock.advance(Duration.ofMillis(600));
    assertEquals(Duration.ZERO, limit.acquire());
    assertEquals(Duration.ofSeconds(1), limit.acquire());
  }

  @Test
  void anIdleReceiverSavesUpNoMoreThanTheBurst() {
    RateLimit limit = new RateLimit(new RateLimit.Settings(2, 3), clock);
    for (int i = 0; i < 3; i++) {
      limit.acquire();
    }

    clock.advance(Duration.ofHours(1));

    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, limit.acquire());
    }
    assertEquals(Duration.ofMillis(500), limit.acquire());
  }

  @Test
  void aClockGoingBackwardsAddsNoTokens() {
    RateLimit limit = new RateLimit(new RateLimit.Settings(1, 1), clock);
    assertEquals(Duration.ZERO, limit.acquire());

    clock.advance(Duration.ofSeconds(-30));
    assertEquals(Duration.ofSeconds(1), limit.acquire());
    clock.advance(Duration.ofSeconds(30));
    assertEquals(
        Duration.ofSeconds(1), limit.acquire(), "time before the last refill is not counted twice");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Duration.ZERO, limit.acquire());
  }

  @Test
  void settingsThatMakeNoSenseAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(0, 5));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(Double.NaN, 5));
    assertThrows(
        IllegalArgumentException.class, () -> new RateLimit.Settings(Double.POSITIVE_INFINITY, 5));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(1, 0));
  }
}
