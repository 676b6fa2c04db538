package dev.clawrate.rater.snapshot;

/** Told the outcome of every reload attempt; metrics implement it. */
public interface ReloadListener {

  void accepted(LoadedSnapshot snapshot);

  void rejected(String track, String error);

  /**
   * The source holds the live snapshot's bytes again after a rejected reload (a bad edit undone):
   * the reload is ok again, though nothing new went live.
   */
  default void recovered(LoadedSnapshot snapshot) {}
}
