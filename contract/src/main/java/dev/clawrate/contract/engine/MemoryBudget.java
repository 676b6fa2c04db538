package dev.clawrate.contract.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The linear memory every instance of every model in the process may hold together, and each
 * model's share of it. An instance charges its pages before they are allocated, so the heap never
 * holds more model memory than the budget: a model that asks for more waits a moment for other
 * calls to return some, and is then refused, instead of running the JVM out of memory.
 */
public final class MemoryBudget {

  /** Drops idle instances, whose memory counts against the budget but serves no call. */
  @FunctionalInterface
  interface Reclaimer {
    void reclaimIdle();
  }

  private final long limitBytes;
  private final long modelShareBytes;
  private final long waitNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  // Guarded by lock; read without it only for metrics.
  private volatile long usedBytes;
  private final AtomicLong refusals = new AtomicLong();
  private volatile Reclaimer reclaimer = () -> {};

  MemoryBudget(InstancePolicy policy) {
    this.limitBytes = policy.memoryBudgetBytes();
    this.modelShareBytes = policy.modelShareBytes();
    this.waitNanos = policy.memoryWait().toNanos();
  }

  void reclaimWith(Reclaimer reclaimer) {
    this.reclaimer = reclaimer;
  }

  /** A model's account: what its instances hold, within its share. */
  Account account() {
    return new Account();
  }

  public long limitBytes() {
    return limitBytes;
  }

  public long usedBytes() {
    return usedBytes;
  }

  /** Charges refused since start: each failed one call as overloaded. */
  public long refusals() {
    return refusals.get();
  }

  /** One model's instances' memory, charged to the budget. */
  final class Account {
    // Guarded by the budget's lock.
    private long held;

    /**
     * Charges {@code bytes}, waiting up to the policy's memory wait for them to be free.
     *
     * @throws MemoryRefusedException when they are not free by then (or never could be)
     */
    void charge(long bytes) {
      if (bytes > modelShareBytes) {
        refuse("an instance would hold " + bytes + " bytes, above the model's share");
      }
      boolean reclaimed = false;
      long deadline = System.nanoTime() + waitNanos;
      lock.lock();
      try {
        while (held + bytes > modelShareBytes || usedBytes + bytes > limitBytes) {
          if (!reclaimed) {
            // Idle instances are the cheapest memory to get back: dropping one costs only a
            // later instantiation.
            reclaimed = true;
            lock.unlock();
            try {
              reclaimer.reclaimIdle();
            } finally {
              lock.lock();
            }
            continue;
          }
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            refuse(
                held + bytes > modelShareBytes
                    ? "the model's instances hold their share of the memory budget"
                    : "the memory budget is spent");
          }
          try {
            released.awaitNanos(remaining);
          } catch (InterruptedException e) {
            // The watchdog stopped the call while it waited: the caller reports the timeout.
            Thread.currentThread().interrupt();
            refuse("stopped while waiting for memory");
          }
        }
        held += bytes;
        usedBytes += bytes;
      } finally {
        lock.unlock();
      }
    }

    void release(long bytes) {
      lock.lock();
      try {
        held -= bytes;
        usedBytes -= bytes;
        released.signalAll();
      } finally {
        lock.unlock();
      }
    }

    long heldBytes() {
      lock.lock();
      try {
        return held;
      } finally {
        lock.unlock();
      }
    }

    private void refuse(String why) {
      refusals.incrementAndGet();
      throw new MemoryRefusedException(why);
    }
  }

  static long pagesToBytes(int pages) {
    return (long) pages * WasmAbi.PAGE_BYTES;
  }
}
