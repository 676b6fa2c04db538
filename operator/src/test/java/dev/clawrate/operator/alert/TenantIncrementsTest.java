package dev.clawrate.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantIncrementsTest {

  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

  private static RaterSample requests(double total, double errors) {
    return new RaterSample(
        total, errors, 0, Histogram.EMPTY, Histogram.EMPTY, Map.of(), ShadowFigures.NONE);
  }

  private final TenantIncrements increments = new TenantIncrements();

  @Test
  void theFirstReadOnlySetsTheBaseline() {
    Map<String, RaterSample> first =
        increments.next(Map.of("pod-a", Map.of("acme", requests(1000, 50))), T0);
    assertEquals(Map.of(), first, "a pod's history before the operator looked is not a burst");
    Map<String, RaterSample> second =
        increments.next(Map.of("pod-a", Map.of("acme", requests(1100, 52))), T0.plusSeconds(30));
    assertEquals(100, second.get("acme").requests());
    assertEquals(2, second.get("acme").serverErrors());
  }

  @Test
  void instancesAddUpAndANewOneCountsInFull() {
    increments.next(Map.of("pod-a", Map.of("acme", requests(10, 0))), T0);
    Map<String, RaterSample> next =
        increments.next(
            Map.of(
                "pod-a", Map.of("acme", requests(15, 1)),
                "pod-b", Map.of("acme", requests(7, 7), "globex", requests(3, 0))),
            T0.plusSeconds(30));
    assertEquals(12, next.get("acme").requests());
    assertEquals(8, next.get("acme").serverErrors());
    assertEquals(3, next.get("globex").requests());
  }

  @Test
  void anInstanceWhoseCountersFellForAnyTenantRestartedAndCountsInFull() {
    increments.next(
        Map.of("pod-a", Map.of("acme", requests(100, 0), "globex", requests(5, 0))), T0);
    Map<String, RaterSample> next =
        increments.next(
            Map.of("pod-a", Map.of("acme", requests(150, 3), "globex", requests(2, 0))),
            T0.plusSeconds(30));
    assertEquals(
        150,
        next.get("acme").requests(),
        "globex fell, so the pod restarted: acme's 150 are all new, not 50");
    assertEquals(2, next.get("globex").requests());
  }

  @Test
  void anInstanceMissingFromOneReadIsNotCountedTwiceWhenItReturns() {
    increments.next(Map.of("pod-a", Map.of("acme", requests(100, 0))), T0);
    increments.next(Map.of(), T0.plusSeconds(30));
    Map<String, RaterSample> back =
        increments.next(Map.of("pod-a", Map.of("acme", requests(130, 0))), T0.plusSeconds(60));
    assertEquals(30, back.get("acme").requests());
  }

  @Test
  void anInstanceGoneLongerThanTheGraceIsForgottenAndCountsInFullWhenItReturns() {
    increments.next(Map.of("pod-a", Map.of("acme", requests(100, 0))), T0);
    Instant later = T0.plus(TenantIncrements.FORGET_AFTER).plusSeconds(1);
    increments.next(Map.of(), later);
    Map<String, RaterSample> back =
        increments.next(Map.of("pod-a", Map.of("acme", requests(130, 0))), later.plusSeconds(1));
    assertEquals(130, back.get("acme").requests());
  }
}
