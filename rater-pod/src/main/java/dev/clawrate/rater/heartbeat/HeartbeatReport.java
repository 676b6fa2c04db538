package dev.clawrate.rater.heartbeat;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadStatus;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What a rater reports in its heartbeat, read off its live snapshot and its last reload. */
public final class HeartbeatReport {

  private HeartbeatReport() {}

  public static Heartbeat of(LiveSnapshot live) {
    return of(live.track(), live.current(), live.lastReload());
  }

  /**
   * @param current the live snapshot, or null while none is
   * @param lastReload the last reload attempt, or null before the first; a rejected one is reported
   *     until a snapshot is accepted
   */
  public static Heartbeat of(String track, LoadedSnapshot current, ReloadStatus lastReload) {
    Map<String, String> models = new TreeMap<>();
    if (current != null) {
      current.models().forEach((name, runtime) -> models.put(name, runtime.digest()));
    }
    Heartbeat.Rejection rejected =
        lastReload == null || lastReload.accepted()
            ? null
            : new Heartbeat.Rejection(lastReload.revision(), lastReload.error(), lastReload.at());
    return new Heartbeat(
        track,
        current == null ? null : current.revision(),
        current == null ? null : current.sourceDigest(),
        models,
        false,
        rejected);
  }

  /**
   * {@code next}, keeping the time {@code previous} gave a rejection both report: the reloader
   * retries a rejected snapshot on every poll, and each retry must not rewrite the heartbeat as if
   * something had changed.
   */
  public static Heartbeat steady(Heartbeat previous, Heartbeat next) {
    if (previous == null || previous.rejected() == null || next.rejected() == null) {
      return next;
    }
    Heartbeat.Rejection before = previous.rejected();
    Heartbeat.Rejection now = next.rejected();
    if (before.revision() != now.revision() || !Objects.equals(before.reason(), now.reason())) {
      return next;
    }
    return new Heartbeat(
        next.track(),
        next.revision(),
        next.snapshotDigest(),
        next.models(),
        next.modelsOmitted(),
        before);
  }
}
