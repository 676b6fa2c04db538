package dev.clawrate.contract.engine;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Instances of one model for one set of limits, handed to one caller at a time. Instances are made
 * on demand, so the pool grows to the number of concurrent calls; at most {@code maxIdle} are kept
 * between calls. An instance that trapped or timed out is discarded, never reused: its memory and
 * globals may be in any state.
 */
final class InstancePool {

  private final CompiledModel model;
  private final String entrypoint;
  private final ModelLimits limits;
  private final int maxIdle;
  // Last in, first out: the most recently used instance has the warmest memory.
  private final ConcurrentLinkedDeque<ModelInstance> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  // Shared by every pool of one runtime, so the counts survive a switch to compiled code.
  private final AtomicLong created;
  private final AtomicLong discarded;

  InstancePool(
      CompiledModel model,
      String entrypoint,
      ModelLimits limits,
      int maxIdle,
      AtomicLong created,
      AtomicLong discarded) {
    this.created = created;
    this.discarded = discarded;
    this.model = model;
    this.entrypoint = entrypoint;
    this.limits = limits;
    this.maxIdle = maxIdle;
  }

  ModelInstance borrow() {
    ModelInstance instance = idle.pollFirst();
    if (instance != null) {
      idleCount.decrementAndGet();
      return instance;
    }
    created.incrementAndGet();
    return new ModelInstance(model.instantiate(limits), entrypoint, model.validated().hasDealloc());
  }

  void giveBack(ModelInstance instance) {
    if (idleCount.incrementAndGet() <= maxIdle) {
      idle.offerFirst(instance);
    } else {
      idleCount.decrementAndGet();
    }
  }

  void discard() {
    discarded.incrementAndGet();
  }

  int idle() {
    return idleCount.get();
  }
}
