package dev.clawrate.contract.engine;

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
    tracker.record(50_000_000, false);
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
  void oneSlowCallIsSoonForgottenButASlowModelIsNotQuick() {
    CallCostTracker tracker = warmedUp(5_000);
    tracker.record(20_000_000, false);
    assertFalse(tracker.isQuick(), "a 20 ms call lifts the average above the bar");
    for (int i = 0; i < 300; i++) {
      tracker.record(5_000, false);
    }
    assertTrue(tracker.isQuick(), "a few hundred short calls later (a GC pause, say) it is back");
    for (int i = 0; i < 300; i++) {
      tracker.record(1_000_000, false);
    }
    assertFalse(tracker.isQuick(), "a model that keeps taking a millisecond is not quick");
  }

  @Test
  void aFailureRevokesIt() {
    CallCostTracker failed = warmedUp(5_000);
    failed.record(5_000, true);
    assertFalse(failed.isQuick());
  }
}
