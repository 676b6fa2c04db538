package dev.clawrate.contract.heartbeat;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one rater pod serves, as it reports it in its heartbeat Lease (the heartbeat contract,
 * {@code docs/contracts.md}). The operator computes every "served" status from these, never from
 * what it believes it wrote.
 *
 * @param track the track the rater serves ({@code stable} or {@code canary})
 * @param revision revision of the live snapshot, or null while none is live
 * @param snapshotDigest sha256 of the live snapshot's bytes, or null while none is live
 * @param models model name to the module digest it is served with; empty when {@code modelsOmitted}
 * @param modelsOmitted true when the list of models was too large for the Lease and left out; the
 *     reader then judges models by revision alone
 * @param rejected the last snapshot rejected since the live one went live, or null when the last
 *     reload was accepted
 */
public record Heartbeat(
    String track,
    Long revision,
    String snapshotDigest,
    Map<String, String> models,
    boolean modelsOmitted,
    Rejection rejected) {

  public Heartbeat {
    models = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(models));
  }

  /**
   * A snapshot the rater refused.
   *
   * @param revision its revision, or -1 when it could not be read that far
   * @param reason why, in the rater's words (no bytes of what it read)
   */
  public record Rejection(long revision, String reason, Instant at) {}

  /** Whether a snapshot is live on this rater. */
  public boolean serving() {
    return revision != null;
  }
}
