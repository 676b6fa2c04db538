package dev.clawrate.operator.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheCapAndWaitsInTheUpperHalf() {
    Backoff low = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), () -> 0.999);
    long[] lowest = {250, 500, 1000, 2000, 2000};
    long[] highest = {499, 999, 1999, 3998, 3998};
    for (int i = 0; i < lowest.length; i++) {
      assertEquals(lowest[i], low.next().toMillis(), "attempt " + i);
      assertEquals(highest[i], high.next().toMillis(), "attempt " + i);
    }
  }

  @Test
  void aSuccessStartsOver() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);
    assertFalse(backoff.failing());
    backoff.next();
    backoff.next();
    assertTrue(backoff.failing());
    backoff.reset();
    assertFalse(backoff.failing());
    assertEquals(50, backoff.next().toMillis());
  }

  @Test
  void refusesAnInitialDelayAboveTheCap() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Math::random));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Math::random));
  }
}
