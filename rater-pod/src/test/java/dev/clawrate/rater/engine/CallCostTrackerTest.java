package dev.clawrate.rater.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallCostTrackerTest {

  private static CallCostTracker warmedUp(long nanos) {
    CallCostTracker tracker = new CallCostTracker();
    for (int i = 0; i < CallCostTracker.WARM_CALLS; i++) {
      tracker.record(nanos, false);
    }
    return tracker;
  }

  @Test
  void aModelIsQuickOnlyAfterEnoughShortCalls() {
    CallCostTracker tracker = new CallCostTracker();
    for (int i = 0; i < CallCostTracker.WARM_CALLS - 1; i++) {
      tracker.record(5_000, false);
    }
    assertFalse(tracker.isQuick(), "not before the warm-up count");
    tracker.record(5_000, false);
    assertTrue(tracker.isQuick());
  }

  @Test
  void slowCallsWhileWarmingUpAreForgiven() {
    CallCostTracker tracker = new CallCostTracker();
    tracker.record(CallCostTracker.SLOW_NANOS * 5, false);
    for (int i = 0; i < CallCostTracker.WARM_CALLS; i++) {
      tracker.record(5_000, false);
    }
    assertTrue(tracker.isQuick());
  }

  @Test
  void consistentlySlowCallsAreNeverQuick() {
    assertFalse(warmedUp(CallCostTracker.QUICK_NANOS * 2).isQuick());
  }

  @Test
  void oneFailureOrOneVerySlowCallRevokesIt() {
    CallCostTracker failed = warmedUp(5_000);
    failed.record(5_000, true);
    assertFalse(failed.isQuick());

    CallCostTracker slow = warmedUp(5_000);
    slow.record(CallCostTracker.SLOW_NANOS + 1, false);
    assertFalse(slow.isQuick());
  }
}
