package dev.clawrate.operator.alert;

import java.time.Instant;
import java.util.List;

/**
 * What receivers are told of one alert's change: it fired, or it resolved. Every text in it is
 * built by the operator from validated names and numbers, never copied from what was read
 * elsewhere, so every receiver may be sent all of it.
 *
 * @param key the alert
 * @param sequence increases with every notification of the alert: a firing and its resolve, or a
 *     later firing, are told apart by it
 * @param tenant the tenant id
 * @param kind what the alert is about
 * @param severity how urgent it is
 * @param state firing or resolved
 * @param startsAt when the alert started firing
 * @param endsAt when it resolved; null while firing
 * @param summary one line, e.g. {@code acme-bank latency SLO burns its budget 15.2x too fast}
 * @param description a few sentences: the objective, the windows, what to look at
 * @param burnRate the short-window burn rate that decided it; NaN for an alert that is not one
 * @param burnThreshold the burn rate the alert fires at; NaN for an alert that is not one
 * @param regions the regions the alert is about, sorted; empty when none is named
 * @param links links for the responder (dashboard, runbook), in order
 */
public record Notification(
    AlertKey key,
    long sequence,
    String tenant,
    AlertKind kind,
    Severity severity,
    AlertState state,
    Instant startsAt,
    Instant endsAt,
    String summary,
    String description,
    double burnRate,
    double burnThreshold,
    List<String> regions,
    List<Link> links) {

  /** A link shown with a notification. */
  public record Link(String text, String href) {}

  public Notification {
    regions = List.copyOf(regions);
    links = List.copyOf(links);
  }

  /** Unique to this notification: the alert's dedup key and the sequence. */
  public String id() {
    return key.dedupKey() + "-" + sequence;
  }
}
