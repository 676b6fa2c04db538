package dev.clawrate.operator;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own threads: one named thread per job, so a thread dump says what each does, and
 * daemon, so a component someone forgot to close never keeps the JVM alive.
 */
public final class Threads {

  private Threads() {}

  public static ScheduledExecutorService single(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** A fixed pool of {@code size} threads named {@code name-1}, {@code name-2}... */
  public static ExecutorService pool(String name, int size) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        size,
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Threads made on demand and gone after a minute idle, as okhttp's own dispatcher pool (whose
   * threads are not daemon), named {@code name-1}, {@code name-2}...
   */
  public static ExecutorService elastic(String name) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
