package dev.clawrate.operator.alert;

import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ReceiverStatus;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigStatus;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.status.ConditionSet;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The alerting part of a TenantConfig's status, for its reconciler, the one writer of that status:
 * the alerts, the summary, the objectives' figures, the receivers and the {@code AlertsReady}
 * condition. Once the status is stored, what it records may be sent.
 */
public final class TenantAlerts {

  private final AlertBook book;
  private final AlertDispatcher dispatcher;
  private final Function<ResourceKey, SloFigures> figures;
  private final Duration interval;

  public TenantAlerts(
      AlertBook book,
      AlertDispatcher dispatcher,
      Function<ResourceKey, SloFigures> figures,
      Duration interval) {
    this.book = book;
    this.dispatcher = dispatcher;
    this.figures = figures;
    this.interval = interval;
  }

  /** What a status was filled with: pass it to {@link #stored} once that status is stored. */
  public record Shown(TenantAlerting alerting, long version) {}

  /** Sets the status's alert fields and the condition. */
  public Shown fill(TenantConfig tenant, TenantConfigStatus status, ConditionSet conditions) {
    TenantAlerting alerting = TenantAlerting.of(tenant, interval);
    book.seed(alerting.key(), tenant.getStatus());
    AlertBook.View view = book.view(alerting.key());
    status.setAlerts(view.alerts().isEmpty() ? null : AlertStatuses.of(view.alerts()));
    status.setAlertSummary(AlertStatuses.summary(view.alerts(), alerting.watched()));
    SloFigures shown = alerting.policy() == null ? null : figures.apply(alerting.key());
    status.setSlo(shown == null ? null : shown.toStatus());
    List<ReceiverStatus> receivers = dispatcher.statuses(alerting);
    status.setReceivers(receivers.isEmpty() ? null : receivers);
    condition(alerting, receivers, conditions);
    return new Shown(alerting, view.version());
  }

  /** The status {@code shown} filled is stored: what it records is sent. */
  public void stored(Shown shown) {
    book.persisted(shown.alerting().key(), shown.version());
    dispatcher.dispatch(shown.alerting());
  }

  private static void condition(
      TenantAlerting alerting, List<ReceiverStatus> receivers, ConditionSet conditions) {
    if (alerting.problem() != null) {
      conditions.set(
          ClawrateApi.ALERTS_READY,
          false,
          "InvalidSLO",
          "the SLO cannot be evaluated: " + alerting.problem());
      return;
    }
    for (String state : List.of("Invalid", "Failing")) {
      List<ReceiverStatus> bad =
          receivers.stream().filter(r -> state.equals(r.getState())).toList();
      if (!bad.isEmpty()) {
        conditions.set(
            ClawrateApi.ALERTS_READY,
            false,
            "Receiver" + state,
            "receiver "
                + bad.get(0).getName()
                + ": "
                + bad.get(0).getMessage()
                + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : ""));
        return;
      }
    }
    String watched =
        alerting.objectives().isEmpty()
            ? "no SLO is watched"
            : String.join(" and ", alerting.objectives().values()) + " watched";
    conditions.set(
        ClawrateApi.ALERTS_READY,
        true,
        receivers.isEmpty() ? "NoReceivers" : "ReceiversReady",
        receivers.isEmpty()
            ? watched + "; alerts show in status only: no receiver is named"
            : watched + "; " + receivers.size() + " receiver(s) ready");
  }
}
