package dev.clawrate.operator.served;

import dev.clawrate.contract.heartbeat.Heartbeat;

/**
 * A live rater pod, as its heartbeat Lease shows it.
 *
 * @param lease the Lease's name (a validated Kubernetes name)
 * @param heartbeat what it serves, or null when its heartbeat cannot be read: such a rater counts,
 *     and serves nothing
 */
public record Rater(String lease, Heartbeat heartbeat) {

  /** The live snapshot revision, or -1 when nothing is live or the heartbeat is unreadable. */
  public long revision() {
    return heartbeat == null || heartbeat.revision() == null ? -1 : heartbeat.revision();
  }
}
