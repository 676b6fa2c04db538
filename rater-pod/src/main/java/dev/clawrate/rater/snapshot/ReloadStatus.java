package dev.clawrate.rater.snapshot;

import java.time.Instant;

/**
 * The result of the latest attempt to load a changed snapshot.
 *
 * @param at when the attempt finished
 * @param revision the revision it tried, or -1 when the snapshot could not be read that far
 * @param accepted whether it went live
 * @param error why it was rejected; null when accepted
 */
public record ReloadStatus(Instant at, long revision, boolean accepted, String error) {

  public static ReloadStatus accepted(Instant at, long revision) {
    return new ReloadStatus(at, revision, true, null);
  }

  public static ReloadStatus rejected(Instant at, long revision, String error) {
    return new ReloadStatus(at, revision, false, error);
  }
}
