package dev.clawrate.contract.engine;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Instances of one model for one set of limits, handed to one caller at a time. Instances are made
 * on demand, so the pool grows to the number of concurrent calls; at most {@code maxIdle} are kept
 * between calls, and an instance left idle past the policy's idle time is dropped, so a pool
 * shrinks back when its load goes. An instance that trapped or timed out is discarded, never
 * reused: its memory and globals may be in any state. Every instance's memory is charged to the
 * model's {@link MemoryBudget.Account} and returned when the instance leaves the pool for good.
 */
final class InstancePool {

  private final CompiledModel model;
  private final String entrypoint;
  private final ModelLimits limits;
  private final int maxIdle;
  private final MemoryBudget.Account account;
  // Last in, first out: the most recently used instance has the warmest memory, and the least
  // recently used ones, at the tail, are the first to be evicted.
  private final ConcurrentLinkedDeque<ModelInstance> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  // Shared by every pool of one runtime, so the counts survive a switch to compiled code.
  private final InstanceCounters counters;
  private volatile boolean closed;

  InstancePool(
      CompiledModel model,
      String entrypoint,
      ModelLimits limits,
      int maxIdle,
      MemoryBudget.Account account,
      InstanceCounters counters) {
    this.model = model;
    this.entrypoint = entrypoint;
    this.limits = limits;
    this.maxIdle = maxIdle;
    this.account = account;
    this.counters = counters;
  }

  /**
   * An idle instance, or a new one.
   *
   * @throws MemoryRefusedException when the budget has no room for a new instance's memory
   * @throws RuntimeException when the module cannot be instantiated
   */
  ModelInstance borrow() {
    ModelInstance instance = idle.pollFirst();
    if (instance != null) {
      idleCount.decrementAndGet();
      return instance;
    }
    counters.created.incrementAndGet();
    BudgetedMemory[] memory = new BudgetedMemory[1];
    try {
      return new ModelInstance(
          model.instantiate(limits, declared -> memory[0] = new BudgetedMemory(declared, account)),
          memory[0],
          entrypoint,
          model.validated().hasDealloc());
    } catch (RuntimeException | Error e) {
      if (memory[0] != null) {
        memory[0].release();
      }
      throw e;
    }
  }

  void giveBack(ModelInstance instance) {
    if (closed) {
      instance.close();
      return;
    }
    if (idleCount.incrementAndGet() > maxIdle) {
      idleCount.decrementAndGet();
      instance.close();
      return;
    }
    instance.markIdle(System.nanoTime());
    idle.offerFirst(instance);
    if (closed) {
      // Closed while this one went in: the drain may have run before it arrived.
      evictAllIdle();
    }
  }

  /** Drops an instance that must not be reused. */
  void discard(ModelInstance instance) {
    counters.discarded.incrementAndGet();
    instance.close();
  }

  /**
   * Drops the idle instances unused since before {@code cutoffNanos} (a {@link System#nanoTime()}).
   *
   * @return how many were dropped
   */
  int evictIdle(long cutoffNanos) {
    int evicted = 0;
    ModelInstance oldest;
    while ((oldest = idle.peekLast()) != null && oldest.idleSince() - cutoffNanos < 0) {
      ModelInstance taken = idle.pollLast();
      if (taken == null) {
        break;
      }
      if (taken != oldest && taken.idleSince() - cutoffNanos >= 0) {
        // A borrower took the oldest meanwhile; this one is still fresh.
        idle.offerLast(taken);
        break;
      }
      idleCount.decrementAndGet();
      taken.close();
      counters.evicted.incrementAndGet();
      evicted++;
    }
    return evicted;
  }

  /**
   * Drops every idle instance: their memory is wanted by another call, or the pool is replaced.
   *
   * @return how many were dropped
   */
  int evictAllIdle() {
    int evicted = 0;
    ModelInstance instance;
    while ((instance = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      instance.close();
      counters.evicted.incrementAndGet();
      evicted++;
    }
    return evicted;
  }

  /** Drops every idle instance, and every instance given back from now on. */
  void close() {
    closed = true;
    evictAllIdle();
  }

  int idle() {
    return idleCount.get();
  }
}
