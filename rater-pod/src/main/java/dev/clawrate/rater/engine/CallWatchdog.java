package dev.clawrate.rater.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops calls that run past their time limit by interrupting the calling thread; Chicory's compiled
 * and interpreted code both check for interruption at function entry and on loop back-edges. The
 * call runs on the request's own thread, so the common case costs one timer entry instead of a
 * hand-off to another thread and back.
 *
 * <p>The limit is on the CPU time the call uses, checked when its wall-clock deadline passes: a
 * thread that was descheduled, throttled by a container CPU quota or stopped by a GC pause has not
 * used its budget and gets the rest of it, so a healthy model is not failed for the host's stalls,
 * while a runaway loop, which burns CPU all the time, is stopped at the limit. Past {@link
 * #WALL_CLOCK_FACTOR} times the limit in wall-clock time a call is stopped regardless.
 */
public final class CallWatchdog implements AutoCloseable {

  static final int WALL_CLOCK_FACTOR = 20;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = cpuTimeAvailable();

  private final ScheduledThreadPoolExecutor timer;

  public CallWatchdog() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = Executors.defaultThreadFactory().newThread(runnable);
              thread.setName("clawrate-call-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    // Cancelled entries would otherwise stay queued until their deadline: one per request.
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Arms a deadline for the current thread; the caller must {@link Guard#disarm()} it. */
  public Guard arm(long timeoutMillis) {
    long budget = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    Guard guard =
        new Guard(
            this,
            Thread.currentThread(),
            budget,
            CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1,
            System.nanoTime() + budget * WALL_CLOCK_FACTOR);
    guard.schedule(budget);
    return guard;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static boolean cpuTimeAvailable() {
    try {
      if (THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeSupported()) {
        THREADS.setThreadCpuTimeEnabled(true);
        return THREADS.getCurrentThreadCpuTime() >= 0;
      }
    } catch (UnsupportedOperationException | SecurityException e) {
      return false;
    }
    return false;
  }

  /** One armed deadline. */
  public static final class Guard implements Runnable {
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;

    private final CallWatchdog watchdog;
    private final Thread caller;
    private final long budgetNanos;
    private final long startCpuNanos;
    private final long wallDeadline;
    // RUNNING -> FINISHED (the call won) or RUNNING -> FIRING -> FIRED (the deadline won).
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile ScheduledFuture<?> deadline;

    private Guard(
        CallWatchdog watchdog,
        Thread caller,
        long budgetNanos,
        long startCpuNanos,
        long wallDeadline) {
      this.watchdog = watchdog;
      this.caller = caller;
      this.budgetNanos = budgetNanos;
      this.startCpuNanos = startCpuNanos;
      this.wallDeadline = wallDeadline;
    }

    private void schedule(long delayNanos) {
      deadline = watchdog.timer.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      if (state.get() != RUNNING) {
        return;
      }
      long remaining = remainingCpuBudget();
      if (remaining > 0 && System.nanoTime() < wallDeadline) {
        schedule(remaining);
        return;
      }
      if (state.compareAndSet(RUNNING, FIRING)) {
        caller.interrupt();
        state.set(FIRED);
      }
    }

    private long remainingCpuBudget() {
      if (startCpuNanos < 0) {
        return 0;
      }
      long used = THREADS.getThreadCpuTime(caller.getId()) - startCpuNanos;
      return budgetNanos - used;
    }

    /**
     * Ends the guarded section on the caller's thread.
     *
     * @return true if the deadline fired, in which case the call's result must be discarded
     */
    public boolean disarm() {
      if (state.compareAndSet(RUNNING, FINISHED)) {
        ScheduledFuture<?> pending = deadline;
        if (pending != null) {
          pending.cancel(false);
        }
        return false;
      }
      // The deadline won: wait until its interrupt has landed, then clear it so it cannot
      // leak into whatever this pooled thread does next.
      while (state.get() != FIRED) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      return true;
    }
  }
}
