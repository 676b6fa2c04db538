package dev.clawrate.rater.snapshot;

import java.io.IOException;
import java.time.Duration;

/**
 * Where a track's snapshot comes from. It tells its listener when something may have changed; the
 * reloader then reads it and decides whether anything did.
 */
public interface SnapshotSource extends AutoCloseable {

  /** Starts watching; {@code onChange} may be called from any thread, any number of times. */
  void start(Runnable onChange) throws IOException;

  /**
   * How long a reload waits after a hint of change: a file written in place needs a moment to be
   * whole; a ConfigMap from a watch arrives whole and needs none.
   */
  default Duration settle() {
    return Duration.ofMillis(20);
  }

  /** The snapshot's current bytes, or null when there is none yet. */
  byte[] readSnapshot() throws IOException;

  /** Modules named by the snapshot. */
  ModuleStore modules();

  /** Where it reads from, for logs and {@code /v1/models}. */
  String describe();

  @Override
  void close();
}
