package dev.clawrate.rater.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, under {@link NetworkThreadPolicy#AUTO}, whether a model that has proven quick may run a
 * call on a network thread, where a slow call stalls every connection sharing that thread. A model
 * is admitted only:
 *
 * <ul>
 *   <li>while fewer than {@link Settings#callsPerModel()} of its calls run on network threads, so
 *       one model never holds them all;
 *   <li>for an input no larger than the largest one it has already rated within {@link
 *       Settings#slowNanos()} (on any thread): a model quick on short inputs is not trusted with a
 *       long one until a worker has seen it answer one quickly;
 *   <li>unless it is demoted: a call stopped at the network threads' time bound, a call that
 *       failed, and a failed call on a worker, send the model to the workers for {@link
 *       Settings#coolDownNanos()}. A slow call that ends within the bound does not: on a busy host
 *       a garbage collection or the scheduler stretches a quick call now and then, and demoting for
 *       it would send a quick model to the workers for the whole cool-down. A model that turns slow
 *       raises the engine's average of its calls, which takes it off the network threads as no
 *       longer quick, and each of its calls meanwhile costs a network thread at most the bound.
 * </ul>
 *
 * Models are keyed by identity (their runtime); times are passed in, so the rules are tested
 * without a clock.
 */
final class NetworkThreadGate {

  /**
   * @param boundMillis the time limit of a model call on a network thread; a call stopped at it is
   *     run again on a worker with the model's own limit
   * @param callsPerModel calls of one model that may run on network threads at once
   * @param slowNanos a call on a network thread longer than this demotes the model; a call on any
   *     thread longer than this does not prove its input size
   * @param coolDownNanos how long a demoted model stays on the workers
   */
  record Settings(int boundMillis, int callsPerModel, long slowNanos, long coolDownNanos) {}

  /** A call admitted to a network thread; hand it back with {@link #leave}. */
  static final class Pass {
    private final ModelState state;

    private Pass(ModelState state) {
      this.state = state;
    }
  }

  private static final class ModelState {
    final AtomicInteger onNetworkThreads = new AtomicInteger();
    final AtomicLong demotions = new AtomicLong();
    volatile int provenInputBytes;
    volatile boolean demoted;
    volatile long demotedUntil;
  }

  private final Settings settings;
  private final ConcurrentHashMap<Object, ModelState> models = new ConcurrentHashMap<>();

  NetworkThreadGate(Settings settings) {
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  /**
   * @param quick whether the model's recent calls are short (the engine's own record of it)
   * @return a pass when the call may run on this network thread, or null when it goes to a worker
   */
  Pass tryEnter(Object model, boolean quick, int inputBytes, long nowNanos) {
    if (!quick) {
      return null;
    }
    ModelState state = models.computeIfAbsent(model, key -> new ModelState());
    if (isDemoted(state, nowNanos) || inputBytes > state.provenInputBytes) {
      return null;
    }
    if (state.onNetworkThreads.incrementAndGet() > settings.callsPerModel()) {
      state.onNetworkThreads.decrementAndGet();
      return null;
    }
    return new Pass(state);
  }

  /**
   * Ends a call admitted by {@link #tryEnter}.
   *
   * @param failed whether the model failed
   * @param stopped whether the call was stopped at the network threads' bound
   */
  void leave(
      Pass pass, int inputBytes, long nanos, boolean failed, boolean stopped, long nowNanos) {
    ModelState state = pass.state;
    state.onNetworkThreads.decrementAndGet();
    if (failed || stopped) {
      judge(state, inputBytes, nanos, true, nowNanos);
    } else if (nanos <= settings.slowNanos()) {
      judge(state, inputBytes, nanos, false, nowNanos);
    }
  }

  /**
   * Records a call of {@code model} that ran on a worker. Only a failure demotes the model: a slow
   * call there costs no network thread, and a busy host makes every call slow at once.
   */
  void ranOnWorker(Object model, int inputBytes, long nanos, boolean failed, long nowNanos) {
    ModelState state = models.computeIfAbsent(model, key -> new ModelState());
    if (failed || nanos <= settings.slowNanos()) {
      judge(state, inputBytes, nanos, failed, nowNanos);
    }
  }

  /** Whether the model is kept off the network threads now, whatever its record. */
  boolean isDemoted(Object model, long nowNanos) {
    ModelState state = models.get(model);
    return state != null && isDemoted(state, nowNanos);
  }

  /** How many times the model was sent to the workers. */
  long demotions(Object model) {
    ModelState state = models.get(model);
    return state == null ? 0 : state.demotions.get();
  }

  /** Forgets models that are no longer served. */
  void retainOnly(Set<?> served) {
    models.keySet().retainAll(served);
  }

  private void judge(ModelState state, int inputBytes, long nanos, boolean demote, long nowNanos) {
    if (demote) {
      state.demotedUntil = nowNanos + settings.coolDownNanos();
      state.demoted = true;
      state.demotions.incrementAndGet();
    } else if (inputBytes > state.provenInputBytes) {
      // A lost race only leaves a smaller proven size: the next such call proves it again.
      state.provenInputBytes = inputBytes;
    }
  }

  private static boolean isDemoted(ModelState state, long nowNanos) {
    if (!state.demoted) {
      return false;
    }
    if (nowNanos - state.demotedUntil < 0) {
      return true;
    }
    state.demoted = false;
    return false;
  }
}
