package dev.clawrate.rater.snapshot;

/** Told the outcome of every reload attempt; metrics implement it. */
public interface ReloadListener {

  void accepted(LoadedSnapshot snapshot);

  void rejected(String track, String error);
}
