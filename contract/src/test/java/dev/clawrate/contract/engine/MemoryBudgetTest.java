package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  private static final long MIB = 1024 * 1024;

  private static MemoryBudget budget(long bytes, int sharePercent, Duration wait) {
    return new MemoryBudget(new InstancePolicy(bytes, sharePercent, Duration.ofMinutes(1), wait));
  }

  @Test
  void chargesAndReleasesWithinTheBudget() {
    MemoryBudget budget = budget(10 * MIB, 100, Duration.ZERO);
    MemoryBudget.Account a = budget.account();
    MemoryBudget.Account b = budget.account();
    a.charge(4 * MIB);
    b.charge(6 * MIB);
    assertEquals(10 * MIB, budget.usedBytes());
    assertEquals(4 * MIB, a.heldBytes());
    a.release(4 * MIB);
    assertEquals(6 * MIB, budget.usedBytes());
    assertEquals(0, budget.refusals());
  }

  @Test
  void aChargeOverTheBudgetIsRefusedAndChangesNothing() {
    MemoryBudget budget = budget(10 * MIB, 100, Duration.ZERO);
    MemoryBudget.Account a = budget.account();
    a.charge(8 * MIB);
    var e = assertThrows(MemoryRefusedException.class, () -> budget.account().charge(4 * MIB));
    assertTrue(e.getMessage().contains("budget is spent"), e.getMessage());
    assertEquals(8 * MIB, budget.usedBytes());
    assertEquals(1, budget.refusals());
  }

  @Test
  void oneModelCannotTakeMoreThanItsShare() {
    MemoryBudget budget = budget(10 * MIB, 50, Duration.ZERO);
    MemoryBudget.Account hungry = budget.account();
    hungry.charge(5 * MIB);
    var e = assertThrows(MemoryRefusedException.class, () -> hungry.charge(1));
    assertTrue(e.getMessage().contains("share"), e.getMessage());
    // The rest stays for the others.
    budget.account().charge(5 * MIB);
    assertEquals(10 * MIB, budget.usedBytes());
  }

  @Test
  void anInstanceLargerThanTheShareIsRefusedWithoutWaiting() {
    MemoryBudget budget = budget(10 * MIB, 50, Duration.ofDays(1));
    var e = assertThrows(MemoryRefusedException.class, () -> budget.account().charge(6 * MIB));
    assertTrue(e.getMessage().contains("above the model's share"), e.getMessage());
  }

  @Test
  void aChargeWaitsForMemoryAnotherCallReturns() throws Exception {
    MemoryBudget budget = budget(10 * MIB, 100, Duration.ofMinutes(1));
    MemoryBudget.Account holder = budget.account();
    holder.charge(10 * MIB);
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(() -> budget.account().charge(3 * MIB));
    holder.release(2 * MIB);
    // 2 MiB free is not enough: it keeps waiting.
    assertThrows(
        java.util.concurrent.TimeoutException.class, () -> waiting.get(50, TimeUnit.MILLISECONDS));
    holder.release(1 * MIB);
    waiting.get(20, TimeUnit.SECONDS);
    assertEquals(10 * MIB, budget.usedBytes());
  }

  @Test
  void idleInstancesAreReclaimedBeforeACallWaits() {
    MemoryBudget budget = budget(10 * MIB, 100, Duration.ZERO);
    MemoryBudget.Account idle = budget.account();
    idle.charge(10 * MIB);
    AtomicInteger reclaims = new AtomicInteger();
    budget.reclaimWith(
        () -> {
          reclaims.incrementAndGet();
          idle.release(10 * MIB);
        });
    budget.account().charge(4 * MIB);
    assertEquals(1, reclaims.get());
    assertEquals(4 * MIB, budget.usedBytes());
  }

  @Test
  void anInterruptedWaitIsRefusedAndKeepsTheInterrupt() throws Exception {
    MemoryBudget budget = budget(MIB, 100, Duration.ofDays(1));
    budget.account().charge(MIB);
    CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                budget.account().charge(MIB);
                interruptedAfter.completeExceptionally(new AssertionError("charge succeeded"));
              } catch (MemoryRefusedException e) {
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
              }
            });
    waiter.start();
    Await.until("the charge waits", () -> waiter.getState() == Thread.State.TIMED_WAITING);
    waiter.interrupt();
    assertTrue(interruptedAfter.get(20, TimeUnit.SECONDS));
    assertEquals(MIB, budget.usedBytes());
  }
}
