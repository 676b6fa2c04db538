package dev.clawrate.contract.engine;

import dev.clawrate.contract.engine.ModelCallException.Failure;

/**
 * Runs calls of one model (a digest, an entry point and limits) from a pool of instances, each call
 * under the model's time limit. Thread-safe; shared by every snapshot that names the same model, so
 * a reload that leaves a model unchanged keeps its warm instances.
 */
public final class ModelRuntime {

  // Both replaced together when interpreted code is upgraded to compiled code; a call reads
  // the pool once and returns its instance to that same pool.
  private volatile CompiledModel model;
  private volatile InstancePool pool;
  private final String entrypoint;
  private final ModelLimits limits;
  private final int maxIdleInstances;
  private final MemoryBudget.Account memory;
  private final InstanceCounters counters = new InstanceCounters();
  private final CallWatchdog watchdog;
  private final CallCostTracker cost = new CallCostTracker();

  ModelRuntime(
      CompiledModel model,
      String entrypoint,
      ModelLimits limits,
      CallWatchdog watchdog,
      int maxIdleInstances,
      MemoryBudget.Account memory) {
    this.model = model;
    this.entrypoint = entrypoint;
    this.limits = limits;
    this.watchdog = watchdog;
    this.maxIdleInstances = maxIdleInstances;
    this.memory = memory;
    this.pool = newPool(model);
  }

  private InstancePool newPool(CompiledModel code) {
    return new InstancePool(code, entrypoint, limits, maxIdleInstances, memory, counters);
  }

  /**
   * Switches to {@code compiled} code of the same module: calls in flight finish on the instances
   * they have, later calls get instances of the compiled code.
   */
  synchronized void upgrade(CompiledModel compiled) {
    if (compiled == model || !compiled.digest().equals(model.digest())) {
      return;
    }
    InstancePool replaced = pool;
    pool = newPool(compiled);
    model = compiled;
    replaced.close();
  }

  /** Drops the instances unused since before {@code cutoffNanos}, a {@link System#nanoTime()}. */
  void evictIdle(long cutoffNanos) {
    pool.evictIdle(cutoffNanos);
  }

  /** Drops every idle instance, for their memory. */
  void evictAllIdle() {
    pool.evictAllIdle();
  }

  /** The model left the engine: its instances return their memory as soon as they are idle. */
  void close() {
    pool.close();
  }

  public String digest() {
    return model.digest();
  }

  public String entrypoint() {
    return entrypoint;
  }

  public ModelLimits limits() {
    return limits;
  }

  public CompiledModel model() {
    return model;
  }

  /**
   * Rates one ABI input (the JSON the host composed) and returns the model's raw output bytes.
   *
   * @throws ModelCallException when the model traps, overruns its time, or returns garbage (the
   *     instance involved is thrown away), or when no instance of it can be made
   */
  public byte[] call(byte[] input) throws ModelCallException {
    return call(input, limits.timeoutMillis());
  }

  /**
   * Like {@link #call(byte[])}, but stopped after {@code timeoutMillis} when that is shorter than
   * the model's own limit: a caller that must not be held long (a network thread) bounds the call
   * tighter and, on a timeout, may run it again where the full limit is affordable.
   */
  public byte[] call(byte[] input, int timeoutMillis) throws ModelCallException {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      byte[] output = callOnInstance(input, Math.min(timeoutMillis, limits.timeoutMillis()));
      failed = false;
      return output;
    } finally {
      cost.record(System.nanoTime() - start, failed);
    }
  }

  /**
   * Whether this model's calls have been consistently short, so that running one on a network
   * thread costs less than handing it to a worker thread and back.
   */
  public boolean isQuick() {
    return cost.isQuick();
  }

  /** A moving average of recent call times, in nanoseconds. */
  public long averageCallNanos() {
    return cost.averageNanos();
  }

  private byte[] callOnInstance(byte[] input, int timeoutMillis) throws ModelCallException {
    InstancePool pool = this.pool;
    // Armed before the instance is borrowed: making one (allocating its memory, copying its data)
    // is part of the call, and a model's set-up must not outrun its time limit either.
    CallWatchdog.Guard guard = watchdog.arm(timeoutMillis);
    ModelInstance instance = null;
    boolean instantiated = false;
    try {
      instance = pool.borrow();
      instantiated = true;
      byte[] output = instance.call(input);
      if (guard.disarm()) {
        throw timeout(timeoutMillis);
      }
      pool.giveBack(instance);
      instance = null;
      return output;
    } catch (ModelCallException e) {
      throw guard.disarm() ? timeout(timeoutMillis) : e;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      throw guard.disarm() ? timeout(timeoutMillis) : failure(e, instantiated);
    } finally {
      // Whatever was thrown, any Error included: no deadline may stay armed to interrupt the
      // thread's next, unrelated work, and no instance may keep its memory.
      guard.disarm();
      if (instance != null) {
        pool.discard(instance);
      }
    }
  }

  public long instancesCreated() {
    return counters.created.get();
  }

  public long instancesDiscarded() {
    return counters.discarded.get();
  }

  /** Instances dropped while idle: past the idle time, for their memory, or with their pool. */
  public long instancesEvicted() {
    return counters.evicted.get();
  }

  /** Linear memory this model's instances hold, idle ones included. */
  public long memoryHeldBytes() {
    return memory.heldBytes();
  }

  public int instancesIdle() {
    return pool.idle();
  }

  private static ModelCallException timeout(int timeoutMillis) {
    return new ModelCallException(
        Failure.TIMEOUT, "model ran past its time limit of " + timeoutMillis + " ms");
  }

  /**
   * @param instantiated whether an instance had been made: a failure before that means the model
   *     never ran
   */
  private static ModelCallException failure(Throwable e, boolean instantiated) {
    MemoryRefusedException refused = refusedMemory(e);
    if (refused != null) {
      return new ModelCallException(
          Failure.OVERLOADED, "model memory refused: " + refused.getMessage());
    }
    if (e instanceof OutOfMemoryError) {
      // The budget should have refused first; the heap ran out anyway (other work, fragmentation).
      return new ModelCallException(Failure.OVERLOADED, "model memory refused: heap exhausted");
    }
    if (!instantiated) {
      return new ModelCallException(
          Failure.UNAVAILABLE, "model could not be instantiated: " + e.getMessage());
    }
    return trap(e);
  }

  private static MemoryRefusedException refusedMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MemoryRefusedException refused) {
        return refused;
      }
    }
    return null;
  }

  private static ModelCallException trap(Throwable e) {
    String message;
    if (e instanceof StackOverflowError) {
      message = "call stack exhausted";
    } else if (e instanceof ModelAbortedException) {
      message = e.getMessage();
    } else {
      message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new ModelCallException(Failure.TRAP, "model trapped: " + message);
  }
}
