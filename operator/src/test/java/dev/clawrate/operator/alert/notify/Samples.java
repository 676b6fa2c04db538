package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.alert.AlertKey;
import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.Severity;
import java.time.Instant;
import java.util.List;

/** Notifications the tests render and send. */
final class Samples {

  static final AlertKey KEY = new AlertKey("payments", "acme-bank", "latency-page");
  static final Instant STARTS = Instant.parse("2025-03-01T10:15:30Z");
  static final Instant ENDS = Instant.parse("2025-03-01T11:02:00Z");
  static final String SUMMARY = "acme-bank latency SLO burns its budget 15.2x too fast";
  static final String DESCRIPTION =
      "99% of requests within 250 ms over 30 days; burning 15.2x over 5m and 1h. Look at p99.";
  static final Notification.Link DASHBOARD =
      new Notification.Link("Dashboard", "https://grafana.example.com/d/clawrate?tenant=acme-bank");
  static final Notification.Link RUNBOOK =
      new Notification.Link("Runbook", "https://runbooks.example.com/clawrate/latency");

  private Samples() {}

  static Notification firing() {
    return new Notification(
        KEY,
        1,
        "acme-bank",
        AlertKind.LATENCY,
        Severity.PAGE,
        AlertState.FIRING,
        STARTS,
        null,
        SUMMARY,
        DESCRIPTION,
        15.2,
        14.4,
        List.of("eu-west", "local"),
        List.of(DASHBOARD, RUNBOOK));
  }

  static Notification resolved() {
    Notification f = firing();
    return new Notification(
        f.key(),
        2,
        f.tenant(),
        f.kind(),
        f.severity(),
        AlertState.RESOLVED,
        f.startsAt(),
        ENDS,
        f.summary(),
        f.description(),
        f.burnRate(),
        f.burnThreshold(),
        f.regions(),
        f.links());
  }

  /** A firing notification with other texts, burn rates, regions and links. */
  static Notification with(
      AlertKind kind,
      Severity severity,
      String tenant,
      String summary,
      String description,
      double burnRate,
      double burnThreshold,
      List<String> regions,
      List<Notification.Link> links) {
    return new Notification(
        KEY,
        1,
        tenant,
        kind,
        severity,
        AlertState.FIRING,
        STARTS,
        null,
        summary,
        description,
        burnRate,
        burnThreshold,
        regions,
        links);
  }

  /** The {@code sequence}-th notification of {@code alert}, its summary naming the sequence. */
  static Notification numbered(String alert, long sequence, AlertState state) {
    return new Notification(
        new AlertKey("payments", "acme-bank", alert),
        sequence,
        "acme-bank",
        AlertKind.AVAILABILITY,
        Severity.TICKET,
        state,
        STARTS,
        state == AlertState.RESOLVED ? ENDS : null,
        alert + " #" + sequence,
        "availability",
        Double.NaN,
        Double.NaN,
        List.of(),
        List.of());
  }
}
