package dev.clawrate.contract.engine;

import java.time.Duration;

/**
 * How the engine shares memory among the instances of all models in the process, and how long an
 * idle instance is kept.
 *
 * @param memoryBudgetBytes the linear memory all instances of all models may hold together: every
 *     instance's initial pages and every {@code memory.grow} are charged against it
 * @param modelSharePercent the part of the budget the instances of one model may hold together, so
 *     that one memory-hungry model always leaves room for the others
 * @param idleTimeout how long an instance may sit unused in its pool before it is dropped and its
 *     memory returned to the budget (and to the heap)
 * @param memoryWait how long a call whose instance needs memory the budget does not have waits for
 *     other calls to return some, before it is refused as overloaded
 */
public record InstancePolicy(
    long memoryBudgetBytes, int modelSharePercent, Duration idleTimeout, Duration memoryWait) {

  /** Half the heap: the other half is for requests, responses, compiled code and the JVM. */
  public static final int DEFAULT_HEAP_PERCENT = 50;

  public static final int DEFAULT_MODEL_SHARE_PERCENT = 50;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Short: a request waiting for memory holds a worker thread, and its client is waiting. */
  public static final Duration DEFAULT_MEMORY_WAIT = Duration.ofMillis(100);

  public InstancePolicy {
    if (memoryBudgetBytes < WasmAbi.PAGE_BYTES) {
      throw new IllegalArgumentException(
          "memoryBudgetBytes must be at least one page, got " + memoryBudgetBytes);
    }
    if (modelSharePercent < 1 || modelSharePercent > 100) {
      throw new IllegalArgumentException(
          "modelSharePercent must be between 1 and 100, got " + modelSharePercent);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
    }
    if (memoryWait.isNegative()) {
      throw new IllegalArgumentException("memoryWait must not be negative, got " + memoryWait);
    }
  }

  /** The defaults, the budget sized from this JVM's maximum heap. */
  public static InstancePolicy defaults() {
    return new InstancePolicy(
        heapShare(DEFAULT_HEAP_PERCENT),
        DEFAULT_MODEL_SHARE_PERCENT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MEMORY_WAIT);
  }

  /** {@code percent} of the JVM's maximum heap, in bytes. */
  private static long heapShare(int percent) {
    return Runtime.getRuntime().maxMemory() / 100 * percent;
  }

  /** The most one model's instances may hold together. */
  public long modelShareBytes() {
    return memoryBudgetBytes * modelSharePercent / 100;
  }

  public InstancePolicy withMemoryBudgetBytes(long bytes) {
    return new InstancePolicy(bytes, modelSharePercent, idleTimeout, memoryWait);
  }

  public InstancePolicy withModelSharePercent(int percent) {
    return new InstancePolicy(memoryBudgetBytes, percent, idleTimeout, memoryWait);
  }

  public InstancePolicy withIdleTimeout(Duration timeout) {
    return new InstancePolicy(memoryBudgetBytes, modelSharePercent, timeout, memoryWait);
  }
}
