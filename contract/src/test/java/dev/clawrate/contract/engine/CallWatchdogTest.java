package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Await;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallWatchdogTest {

  private static final long DEADLINE_MILLIS = 50;

  @Test
  void theSlotOfAThreadThatEndsIsReleased() throws Exception {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      Thread caller = new Thread(() -> watchdog.arm(10_000).disarm());
      caller.start();
      caller.join();
      Await.until("the ended thread's slot is swept away", () -> watchdog.slotCount() == 0);
    }
  }

  @Test
  void aThreadThatDiesInACallReleasesItsSlot() throws Exception {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      Thread caller =
          new Thread(
              () -> {
                watchdog.arm(10_000);
                throw new StackOverflowError("dies armed");
              });
      caller.setUncaughtExceptionHandler((thread, error) -> {});
      caller.start();
      caller.join();
      Await.until("the dead thread's slot is swept away", () -> watchdog.slotCount() == 0);
    }
  }

  @Test
  void liveThreadsKeepTheirSlots() {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      watchdog.arm(10_000).disarm();
      watchdog.pruneEndedThreads();
      assertEquals(1, watchdog.slotCount());
    }
  }

  @Test
  void anErrorInAFiredCallLeavesNoInterrupt() {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      assertThrows(OutOfMemoryError.class, () -> failWhenStopped(watchdog));
      assertFalse(Thread.currentThread().isInterrupted());
      assertNextCallUndisturbed(watchdog);
    }
  }

  @Test
  void anErrorBeforeTheDeadlineLeavesNothingArmed() {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      // The case needs the Error and the disarm to come before the deadline, which a busy machine
      // may not give on the first try: try until one does, then wait well past its deadline.
      CallWatchdog.Guard disarmedInTime = null;
      long armedAt = 0;
      for (int attempt = 0; attempt < 100 && disarmedInTime == null; attempt++) {
        armedAt = System.nanoTime();
        CallWatchdog.Guard guard = watchdog.arm(DEADLINE_MILLIS);
        boolean[] fired = new boolean[1];
        assertThrows(
            OutOfMemoryError.class,
            () -> {
              try {
                throw new OutOfMemoryError("thrown at once");
              } finally {
                fired[0] = guard.disarm();
              }
            });
        if (fired[0]) {
          Thread.interrupted();
        } else {
          disarmedInTime = guard;
        }
      }
      assertNotNull(disarmedInTime, "no attempt disarmed within " + DEADLINE_MILLIS + " ms");
      long deadline = armedAt + DEADLINE_MILLIS * 1_000_000L;
      Await.until("the deadline has passed", () -> System.nanoTime() - deadline > 0);
      long seen = watchdog.scans();
      Await.until("the watchdog looks twice more", () -> watchdog.scans() >= seen + 2);
      assertFalse(Thread.interrupted());
      assertFalse(disarmedInTime.disarm());
    }
  }

  @Test
  void disarmingTwiceAnswersTheSame() {
    try (CallWatchdog watchdog = new CallWatchdog()) {
      CallWatchdog.Guard guard = watchdog.arm(1);
      spinUntilStopped();
      assertTrue(guard.disarm());
      assertTrue(guard.disarm());
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }

  /** A call that spins until the watchdog stops it, then fails with an Error, as a model may. */
  private static void failWhenStopped(CallWatchdog watchdog) {
    CallWatchdog.Guard guard = watchdog.arm(1);
    try {
      spinUntilStopped();
      throw new OutOfMemoryError("thrown by the stopped call");
    } finally {
      assertTrue(guard.disarm());
    }
  }

  /** Burns CPU as a runaway model does, until the watchdog's interrupt arrives. */
  private static void spinUntilStopped() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Thread.currentThread().isInterrupted()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the watchdog never stopped the call");
      }
      Thread.onSpinWait();
    }
  }

  private static void assertNextCallUndisturbed(CallWatchdog watchdog) {
    CallWatchdog.Guard next = watchdog.arm(10_000);
    long seen = watchdog.scans();
    Await.until("the watchdog looks twice more", () -> watchdog.scans() >= seen + 2);
    assertFalse(Thread.currentThread().isInterrupted());
    assertFalse(next.disarm());
  }
}
