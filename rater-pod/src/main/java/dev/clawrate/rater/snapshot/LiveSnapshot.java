package dev.clawrate.rater.snapshot;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot being served and the outcome of the last reload. Swapping is one reference write: a
 * request sees either the old snapshot or the new one, whole.
 */
public final class LiveSnapshot {

  private final String track;
  private final AtomicReference<LoadedSnapshot> current = new AtomicReference<>();
  private final AtomicReference<ReloadStatus> lastReload = new AtomicReference<>();

  public LiveSnapshot(String track) {
    this.track = track;
  }

  public String track() {
    return track;
  }

  /** The live snapshot, or null until the first one is loaded. */
  public LoadedSnapshot current() {
    return current.get();
  }

  /** The last reload attempt, or null before the first. */
  public ReloadStatus lastReload() {
    return lastReload.get();
  }

  void swap(LoadedSnapshot snapshot, ReloadStatus status) {
    current.set(snapshot);
    lastReload.set(status);
  }

  /** The live snapshot stays; the last reload's outcome becomes {@code status}. */
  void record(ReloadStatus status) {
    lastReload.set(status);
  }
}
