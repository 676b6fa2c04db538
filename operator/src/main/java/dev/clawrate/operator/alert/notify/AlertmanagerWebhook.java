package dev.clawrate.operator.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import java.util.List;

/**
 * The body Alertmanager's webhook receiver posts (payload version 4), holding one alert, so that
 * whatever already reads Alertmanager webhooks (an incident tool, a chat bridge, another
 * Alertmanager-aware service) reads clawrate's alerts unchanged.
 */
public final class AlertmanagerWebhook {

  /** What Go's zero time marshals to: Alertmanager's {@code endsAt} of an alert still firing. */
  static final String UNSET_TIME = "0001-01-01T00:00:00Z";

  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertmanagerWebhook() {}

  public static String render(Notification n, String receiverName) {
    String status = n.state().label();
    ObjectNode labels = JSON.createObjectNode();
    labels.put("alertname", alertName(n.kind()));
    labels.put("tenant", n.tenant());
    labels.put("namespace", n.key().namespace());
    labels.put("tenantconfig", n.key().tenantConfig());
    labels.put("objective", n.kind().label());
    labels.put("severity", n.severity().label());
    labels.put("alert", n.key().alert());

    ObjectNode annotations = JSON.createObjectNode();
    annotations.put("summary", n.summary());
    annotations.put("description", n.description());
    if (!Double.isNaN(n.burnRate())) {
      annotations.put("burn_rate", Texts.number(n.burnRate()));
    }
    if (!Double.isNaN(n.burnThreshold())) {
      annotations.put("burn_threshold", Texts.number(n.burnThreshold()));
    }
    if (!n.regions().isEmpty()) {
      annotations.put("regions", String.join(",", n.regions()));
    }

    ObjectNode message = JSON.createObjectNode();
    message.put("version", "4");
    message.put("groupKey", groupKey(receiverName, alertName(n.kind()), n.tenant()));
    message.put("truncatedAlerts", 0);
    message.put("status", status);
    message.put("receiver", receiverName);
    message
        .putObject("groupLabels")
        .put("alertname", alertName(n.kind()))
        .put("tenant", n.tenant());
    message.set("commonLabels", labels.deepCopy());
    message.set("commonAnnotations", annotations.deepCopy());
    message.put("externalURL", "");
    ObjectNode alert = message.putArray("alerts").addObject();
    alert.put("status", status);
    alert.set("labels", labels);
    alert.set("annotations", annotations);
    alert.put("startsAt", Texts.time(n.startsAt()));
    alert.put(
        "endsAt",
        n.state() == AlertState.RESOLVED && n.endsAt() != null
            ? Texts.time(n.endsAt())
            : UNSET_TIME);
    List<Notification.Link> links = Texts.links(n);
    alert.put("generatorURL", links.isEmpty() ? "" : links.get(0).href());
    alert.put("fingerprint", n.key().dedupKey());
    return message.toString();
  }

  static String alertName(AlertKind kind) {
    return switch (kind) {
      case LATENCY, AVAILABILITY -> "ClawrateTenantSLO";
      case FALLBACK -> "ClawrateTenantFallback";
      case REGION -> "ClawrateRegionUnhealthy";
      case CANARY -> "ClawrateCanaryRolledBack";
    };
  }

  /**
   * Alertmanager's form, the route's matchers then the group labels sorted by name: the same for
   * every notification of the group, so receivers that group by it keep firing and resolve
   * together.
   */
  static String groupKey(String receiverName, String alertName, String tenant) {
    return "{}/{receiver="
        + quote(receiverName)
        + "}:{alertname="
        + quote(alertName)
        + ", tenant="
        + quote(tenant)
        + "}";
  }

  /** Go's %q for the characters a label value may hold that would break the key's syntax. */
  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
