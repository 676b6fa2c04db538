package dev.clawrate.contract.engine;

import dev.clawrate.contract.engine.ModelCallException.Failure;
import java.util.concurrent.atomic.AtomicLong;

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
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong discarded = new AtomicLong();
  private final CallWatchdog watchdog;
  private final CallCostTracker cost = new CallCostTracker();

  ModelRuntime(
      CompiledModel model,
      String entrypoint,
      ModelLimits limits,
      CallWatchdog watchdog,
      int maxIdleInstances) {
    this.model = model;
    this.entrypoint = entrypoint;
    this.limits = limits;
    this.watchdog = watchdog;
    this.maxIdleInstances = maxIdleInstances;
    this.pool = new InstancePool(model, entrypoint, limits, maxIdleInstances, created, discarded);
  }

  /**
   * Switches to {@code compiled} code of the same module: calls in flight finish on the instances
   * they have, later calls get instances of the compiled code.
   */
  synchronized void upgrade(CompiledModel compiled) {
    if (compiled == model || !compiled.digest().equals(model.digest())) {
      return;
    }
    pool = new InstancePool(compiled, entrypoint, limits, maxIdleInstances, created, discarded);
    model = compiled;
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
    ModelInstance instance;
    try {
      instance = pool.borrow();
    } catch (RuntimeException e) {
      throw new ModelCallException(
          Failure.UNAVAILABLE, "model could not be instantiated: " + e.getMessage());
    }
    CallWatchdog.Guard guard = watchdog.arm(timeoutMillis);
    byte[] output;
    try {
      output = instance.call(input);
    } catch (ModelCallException e) {
      pool.discard();
      throw guard.disarm() ? timeout(timeoutMillis) : e;
    } catch (RuntimeException | StackOverflowError e) {
      pool.discard();
      throw guard.disarm() ? timeout(timeoutMillis) : trap(e);
    }
    if (guard.disarm()) {
      pool.discard();
      throw timeout(timeoutMillis);
    }
    pool.giveBack(instance);
    return output;
  }

  public long instancesCreated() {
    return created.get();
  }

  public long instancesDiscarded() {
    return discarded.get();
  }

  public int instancesIdle() {
    return pool.idle();
  }

  private static ModelCallException timeout(int timeoutMillis) {
    return new ModelCallException(
        Failure.TIMEOUT, "model ran past its time limit of " + timeoutMillis + " ms");
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
