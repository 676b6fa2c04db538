package dev.clawrate.operator.alert;

import dev.clawrate.operator.api.AlertDeliveryStatus;
import dev.clawrate.operator.api.AlertStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes the alerts the book holds as a TenantConfig's status shows them: pure. */
public final class AlertStatuses {

  /** The summary when nothing fires. */
  public static final String OK = "OK";

  /** The summary when no objective is watched and no event is notified. */
  public static final String NONE = "None";

  private AlertStatuses() {}

  public static List<AlertStatus> of(List<AlertBook.Alert> alerts) {
    List<AlertStatus> statuses = new ArrayList<>();
    for (AlertBook.Alert alert : alerts) {
      AlertStatus status = new AlertStatus();
      status.setName(alert.name());
      status.setObjective(alert.kind().label());
      status.setSeverity(alert.severity().label());
      status.setState(alert.firing() ? "Firing" : "Resolved");
      status.setSince(alert.since().toString());
      status.setResolvedAt(alert.resolvedAt() == null ? null : alert.resolvedAt().toString());
      status.setBurnRate(BurnFigures.display(alert.burnRate()));
      status.setRegions(alert.regions().isEmpty() ? null : alert.regions());
      status.setReason(alert.reason());
      status.setSequence(alert.sequence());
      List<AlertDeliveryStatus> delivered = new ArrayList<>();
      for (Map.Entry<String, Long> told : new java.util.TreeMap<>(alert.delivered()).entrySet()) {
        AlertDeliveryStatus delivery = new AlertDeliveryStatus();
        delivery.setReceiver(told.getKey());
        delivery.setSequence(told.getValue());
        delivered.add(delivery);
      }
      status.setDelivered(delivered.isEmpty() ? null : delivered);
      statuses.add(status);
    }
    return statuses;
  }

  /**
   * @param watched whether anything is watched for the tenant
   * @return the firing alerts' names, comma-separated, or {@link #OK} or {@link #NONE}
   */
  public static String summary(List<AlertBook.Alert> alerts, boolean watched) {
    List<String> firing =
        alerts.stream().filter(AlertBook.Alert::firing).map(AlertBook.Alert::name).toList();
    if (!firing.isEmpty()) {
      return String.join(",", firing);
    }
    return watched ? OK : NONE;
  }
}
