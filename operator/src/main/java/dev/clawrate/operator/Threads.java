package dev.clawrate.operator;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

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
}
