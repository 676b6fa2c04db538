package dev.clawrate.operator.alert;

import java.util.List;
import java.util.Map;

/**
 * Words a notification from an alert the book holds: pure. Every text comes from the alert's kind,
 * the tenant id, region names and numbers, all validated before they got here.
 */
public final class NotificationComposer {

  private NotificationComposer() {}

  /**
   * @param owner the TenantConfig's namespace and name
   * @param tenant the tenant id
   * @param sequence which of the alert's notifications (the firing that started the incident, or
   *     its current one)
   * @param state what that notification says
   * @param objectives what each objective promises, in words, for the description
   * @param links the TenantConfig's links
   */
  public static Notification compose(
      AlertKey key,
      String tenant,
      AlertBook.Alert alert,
      long sequence,
      AlertState state,
      Map<AlertKind, String> objectives,
      List<Notification.Link> links) {
    boolean firing = state == AlertState.FIRING;
    return new Notification(
        key,
        sequence,
        tenant,
        alert.kind(),
        alert.severity(),
        state,
        alert.since(),
        firing ? null : alert.resolvedAt(),
        summary(tenant, alert, firing),
        description(alert, firing, objectives.get(alert.kind())),
        alert.burnRate(),
        alert.burnThreshold(),
        alert.regions(),
        links);
  }

  static String summary(String tenant, AlertBook.Alert alert, boolean firing) {
    String where = alert.regions().isEmpty() ? "" : " in " + String.join(", ", alert.regions());
    String burn = BurnFigures.display(alert.burnRate());
    return switch (alert.kind()) {
      case LATENCY, AVAILABILITY ->
          firing
              ? tenant
                  + " "
                  + alert.kind().label()
                  + " SLO is burning its error budget"
                  + (burn == null ? "" : " " + burn + "x too fast")
                  + where
              : tenant + " " + alert.kind().label() + " SLO burn is back within budget";
      case FALLBACK ->
          firing
              ? tenant + " is answered by its fallback instead of its model" + where
              : tenant + " is answered by its model again";
      case REGION ->
          firing
              ? "a region serving " + tenant + " is unhealthy" + where
              : "the regions serving " + tenant + " are healthy again";
      case CANARY ->
          firing
              ? "a canary release of " + tenant + "'s model rolled back" + where
              : "the rolled-back canary release of " + tenant + "'s model is over";
    };
  }

  private static String description(AlertBook.Alert alert, boolean firing, String objective) {
    StringBuilder text = new StringBuilder();
    if (objective != null) {
      text.append("Objective: ").append(objective).append(". ");
    }
    if (alert.reason() != null) {
      text.append(Character.toUpperCase(alert.reason().charAt(0)))
          .append(alert.reason().substring(1))
          .append(". ");
    }
    if (firing) {
      text.append(
          switch (alert.kind()) {
            case LATENCY ->
                "Look at the model's latency (clawrate_rate_requests_seconds) and the raters' CPU.";
            case AVAILABILITY ->
                "Look at the request outcomes (clawrate_rate_requests_seconds_count by outcome).";
            case FALLBACK ->
                "The model traps, times out or gives invalid output; see the outcomes.";
            case REGION -> "See the operator's /regions and the raters' heartbeats.";
            case CANARY -> "See the CanaryRelease's status.lastAnalysis for why.";
          });
    }
    return text.toString().strip();
  }
}
