package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkThreadGateTest {

  private static final long SLOW = 2_000_000;
  private static final long COOL_DOWN = 30_000_000_000L;
  private static final long QUICK = 100_000;

  private final NetworkThreadGate gate =
      new NetworkThreadGate(new NetworkThreadGate.Settings(10, 1, SLOW, COOL_DOWN));
  private final Object model = new Object();

  /** A model whose calls on workers proved inputs up to {@code bytes} quick. */
  private void proven(Object key, int bytes) {
    gate.ranOnWorker(key, bytes, QUICK, false, 0);
  }

  @Test
  void aModelTheEngineDoesNotCallQuickStaysOnWorkers() {
    proven(model, 500);
    assertNull(gate.tryEnter(model, false, 100, 0));
    assertNotNull(gate.tryEnter(model, true, 100, 0));
  }

  @Test
  void anInputLargerThanAnyRatedQuicklyGoesToAWorkerUntilOneIsRatedQuickly() {
    proven(model, 500);
    assertNull(gate.tryEnter(model, true, 501, 0));
    gate.ranOnWorker(model, 2000, SLOW + 1, false, 0);
    assertNull(gate.tryEnter(model, true, 501, 0), "a slow call proves nothing");
    assertFalse(gate.isDemoted(model, 1), "nor, on a worker, demotes the model");
    assertNotNull(gate.tryEnter(model, true, 500, 1));
  }

  @Test
  void aQuickCallOnAWorkerProvesItsInputSize() {
    proven(model, 500);
    proven(model, 800);
    assertNotNull(gate.tryEnter(model, true, 800, 0));
  }

  @Test
  void oneModelHoldsAtMostItsCountOfNetworkThreads() {
    proven(model, 500);
    Object other = new Object();
    proven(other, 500);
    NetworkThreadGate.Pass pass = gate.tryEnter(model, true, 100, 0);
    assertNotNull(pass);
    assertNull(gate.tryEnter(model, true, 100, 0), "its one network thread is taken");
    assertNotNull(gate.tryEnter(other, true, 100, 0), "another model's is not");
    gate.leave(pass, 100, QUICK, false, false, 0);
    assertNotNull(gate.tryEnter(model, true, 100, 0));
  }

  @Test
  void aCallStoppedAtTheBoundOnANetworkThreadDemotesTheModelForTheCoolDown() {
    proven(model, 500);
    gate.leave(gate.tryEnter(model, true, 100, 0), 100, SLOW + 1, false, true, 1_000);
    assertNull(gate.tryEnter(model, true, 100, 2_000));
    assertTrue(gate.isDemoted(model, 1_000 + COOL_DOWN - 1));
    assertEquals(1, gate.demotions(model));
    assertNotNull(gate.tryEnter(model, true, 100, 1_000 + COOL_DOWN), "back after the cool-down");
    assertFalse(gate.isDemoted(model, 1_000 + COOL_DOWN));
  }

  @Test
  void slowCallsWithinTheBoundLeaveTheVerdictToTheEnginesAverage() {
    proven(model, 500);
    for (int i = 0; i < 5; i++) {
      gate.leave(gate.tryEnter(model, true, 100, 0), 100, SLOW + 1, false, false, 0);
    }
    assertFalse(gate.isDemoted(model, 1), "slow calls alone demote nothing");
    assertNull(gate.tryEnter(model, false, 100, 1), "a model the engine no longer calls quick");
  }

  @Test
  void aFailedCallDemotesTheModelHoweverQuickItWas() {
    proven(model, 500);
    gate.leave(gate.tryEnter(model, true, 100, 0), 100, QUICK, true, false, 0);
    assertNull(gate.tryEnter(model, true, 100, 1));
    gate.ranOnWorker(model, 100, QUICK, false, COOL_DOWN);
    proven(model, 100);
    gate.ranOnWorker(model, 100, QUICK, true, COOL_DOWN + 1);
    assertNull(gate.tryEnter(model, true, 100, COOL_DOWN + 2), "a failure on a worker too");
    assertEquals(2, gate.demotions(model));
  }

  @Test
  void modelsNoLongerServedAreForgotten() {
    Object kept = new Object();
    proven(kept, 500);
    proven(model, 500);
    gate.leave(gate.tryEnter(model, true, 100, 0), 100, SLOW + 1, false, false, 0);
    gate.retainOnly(Set.of(kept));
    assertFalse(gate.isDemoted(model, 1));
    assertEquals(0, gate.demotions(model));
    assertNull(gate.tryEnter(model, true, 100, 1), "a model seen anew proves its inputs anew");
    assertNotNull(gate.tryEnter(kept, true, 100, 1));
  }
}
