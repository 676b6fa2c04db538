package dev.clawrate.rater.snapshot;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot being served and the outcome of the last reload. Swapping is one reference write: a
 * request sees either the old snapshot or the new one, whole.
 */
public final class LiveSnapshot {

  private final String track;
  private final AtomicReference<LoadedSnapshot> current = new AtomicReference<>();
  private final AtomicReference<ReloadStatus> lastReload = new AtomicReference<>();
  private final CompletableFuture<Void> compiledCodeReady = new CompletableFuture<>();

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

  /**
   * Whether the live snapshot's models run their compiled code (or never will, their compilation
   * having failed): until then the first snapshot is served by the interpreter, which may not keep
   * within the models' time limits, so readiness waits for it. Stays true from then on, since a
   * later snapshot goes live only once its compiled code is ready.
   */
  public boolean compiledCodeReady() {
    return compiledCodeReady.isDone();
  }

  /** Waits for {@link #compiledCodeReady()}, at most {@code max}. */
  public void awaitCompiledCode(Duration max) throws InterruptedException {
    try {
      compiledCodeReady.get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Readiness keeps waiting; the caller only stops blocking.
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e.getCause());
    }
  }

  void markCompiledCodeReady() {
    compiledCodeReady.complete(null);
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
