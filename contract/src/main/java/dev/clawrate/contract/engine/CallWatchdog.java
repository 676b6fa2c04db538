package dev.clawrate.contract.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops calls that run past their time limit by interrupting the calling thread; Chicory's compiled
 * and interpreted code both check for interruption at function entry and on loop back-edges. Calls
 * run on the request's own thread.
 *
 * <p>Arming and disarming cost a few memory writes: each calling thread owns a {@link Slot} that
 * one watchdog thread scans every {@link #TICK_NANOS}. No timer is scheduled per call and no system
 * call is made on the request path, so a call of a few microseconds stays one.
 *
 * <p>The limit is on the CPU time the call uses: when a call's wall-clock deadline passes, the
 * watchdog reads the thread's CPU time, and a thread that was descheduled, throttled by a container
 * CPU quota or stopped by a GC pause gets the rest of its budget, so a healthy model is not failed
 * for the host's stalls, while a runaway loop, which burns CPU all the time, is stopped at the
 * limit (plus at most a tick). Past {@link #WALL_CLOCK_FACTOR} times the limit in wall-clock time a
 * call is stopped regardless.
 */
public final class CallWatchdog implements AutoCloseable {

  static final int WALL_CLOCK_FACTOR = 20;
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * Scans between two sweeps for slots of threads that have ended (about a second): a worker pool
   * that shrinks, or a thread killed by an error, must not keep its slot, and its Thread, forever.
   */
  static final int SCANS_PER_PRUNE = 1024;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = cpuTimeAvailable();

  private static final long RUNNING = 0;
  private static final long FINISHED = 1;
  private static final long FIRING = 2;
  private static final long FIRED = 3;

  // Slots of the live threads that have made a call; a thread registers once, on its first call,
  // and its slot is swept away once the thread has ended.
  private final CopyOnWriteArrayList<Slot> slots = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Slot> mySlot = ThreadLocal.withInitial(this::register);
  private final Thread scanner;
  private final AtomicLong scans = new AtomicLong();
  private volatile boolean closed;

  public CallWatchdog() {
    scanner = new Thread(this::scan, "clawrate-call-watchdog");
    scanner.setDaemon(true);
    scanner.start();
  }

  private Slot register() {
    Slot slot = new Slot(Thread.currentThread());
    slots.add(slot);
    return slot;
  }

  /** Arms a deadline for the current thread; the caller must {@link Guard#disarm()} it. */
  public Guard arm(long timeoutMillis) {
    Slot slot = mySlot.get();
    slot.arm(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    return slot;
  }

  private void scan() {
    while (!closed) {
      LockSupport.parkNanos(TICK_NANOS);
      long now = System.nanoTime();
      for (Slot slot : slots) {
        slot.check(now);
      }
      if (scans.incrementAndGet() % SCANS_PER_PRUNE == 0) {
        pruneEndedThreads();
      }
    }
  }

  /** Forgets the slots of threads that have ended; their calls can no longer be stopped. */
  void pruneEndedThreads() {
    slots.removeIf(slot -> !slot.thread.isAlive());
  }

  /** How many threads have a slot: those that made a call and have not been seen ended. */
  int slotCount() {
    return slots.size();
  }

  /**
   * How many times the watchdog has looked at every call. Once it has moved on by two, any look
   * begun before a moment has ended, and nothing it decided then can still happen.
   */
  long scans() {
    return scans.get();
  }

  @Override
  public void close() {
    closed = true;
    scanner.interrupt();
  }

  private static boolean cpuTimeAvailable() {
    try {
      if (THREADS.isThreadCpuTimeSupported()) {
        THREADS.setThreadCpuTimeEnabled(true);
        return THREADS.getThreadCpuTime(Thread.currentThread().getId()) >= 0;
      }
    } catch (UnsupportedOperationException | SecurityException e) {
      return false;
    }
    return false;
  }

  /** The armed deadline of the current call. */
  public interface Guard {
    /**
     * Ends the guarded section on the caller's thread. Calling it again before the next arm changes
     * nothing and answers the same, so a {@code finally} can always call it: whatever a call
     * throws, even an {@link Error}, no deadline stays armed to interrupt later work.
     *
     * @return true if the deadline fired, in which case the call's result must be discarded
     */
    boolean disarm();
  }

  /**
   * One thread's current call. {@code state} packs the call's sequence number with its phase
   * (RUNNING, FINISHED, FIRING, FIRED), so the watchdog, which decides on what it read a moment
   * ago, can only ever fire the call it looked at, never the next one.
   */
  private static final class Slot implements Guard {
    private final Thread thread;
    private final AtomicLong state = new AtomicLong(FINISHED);
    private long sequence;
    // The caller's own: whether the last disarmed call had fired, for a repeated disarm.
    private boolean lastFired;
    // Written by the caller before the state's volatile write publishes them.
    private long budgetNanos;
    private long startNanos;
    // The watchdog thread's own bookkeeping for the call it saw running.
    private long seenState = -1;
    private long seenAtNanos;
    private long seenCpuNanos;

    Slot(Thread thread) {
      this.thread = thread;
    }

    void arm(long budget) {
      budgetNanos = budget;
      startNanos = System.nanoTime();
      sequence++;
      state.set(sequence << 2 | RUNNING);
    }

    @Override
    public boolean disarm() {
      long finished = sequence << 2 | FINISHED;
      if (state.compareAndSet(sequence << 2 | RUNNING, finished)) {
        lastFired = false;
        return false;
      }
      if (state.get() == finished) {
        return lastFired;
      }
      // The deadline won: wait until its interrupt has landed, then clear it so it cannot
      // leak into whatever this pooled thread does next.
      while (state.get() != (sequence << 2 | FIRED)) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      lastFired = true;
      state.set(finished);
      return true;
    }

    /** On the watchdog thread. */
    void check(long now) {
      long current = state.get();
      if ((current & 3) != RUNNING) {
        return;
      }
      if (current != seenState) {
        // First sight of this call: CPU time from here on is measured; before here it is
        // counted in full, which can only stop a call sooner, never let one run longer.
        seenState = current;
        seenAtNanos = now;
        seenCpuNanos = CPU_TIME ? THREADS.getThreadCpuTime(thread.getId()) : -1;
      }
      long elapsed = now - startNanos;
      if (elapsed < budgetNanos) {
        return;
      }
      boolean overWallClock = elapsed > budgetNanos * WALL_CLOCK_FACTOR;
      if (!overWallClock && seenCpuNanos >= 0) {
        long used =
            (seenAtNanos - startNanos) + THREADS.getThreadCpuTime(thread.getId()) - seenCpuNanos;
        if (used < budgetNanos) {
          return;
        }
      }
      if (state.compareAndSet(current, (current & ~3L) | FIRING)) {
        thread.interrupt();
        state.set((current & ~3L) | FIRED);
      }
    }
  }
}
