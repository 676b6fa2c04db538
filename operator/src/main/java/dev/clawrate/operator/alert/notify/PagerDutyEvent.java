package dev.clawrate.operator.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.Severity;

/**
 * An event for PagerDuty's Events API v2 ({@code POST https://events.pagerduty.com/v2/enqueue}): a
 * firing alert triggers, a resolved one resolves, both by the alert's dedup key, so PagerDuty keeps
 * one alert per incident of ours and a resolve closes exactly the alert its trigger opened.
 */
public final class PagerDutyEvent {

  /** PagerDuty's limit of {@code payload.summary}. */
  static final int SUMMARY_MAX = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private PagerDutyEvent() {}

  public static String render(Notification n, String routingKey) {
    ObjectNode event = JSON.createObjectNode();
    event.put("routing_key", routingKey);
    event.put("dedup_key", n.key().dedupKey());
    if (n.state() == AlertState.RESOLVED) {
      // A resolve needs nothing else: PagerDuty finds the alert by routing and dedup key.
      event.put("event_action", "resolve");
      return event.toString();
    }
    event.put("event_action", "trigger");
    ObjectNode payload = event.putObject("payload");
    String summary =
        Texts.isBlank(n.summary()) ? n.tenant() + " " + n.kind().label() + " alert" : n.summary();
    payload.put("summary", Texts.truncate(summary, SUMMARY_MAX));
    payload.put("source", "clawrate/" + n.key().namespace() + "/" + n.key().tenantConfig());
    payload.put("severity", n.severity() == Severity.PAGE ? "critical" : "warning");
    payload.put("timestamp", Texts.time(n.startsAt()));
    payload.put("component", n.tenant());
    payload.put("group", n.key().namespace());
    payload.put("class", n.kind().label());
    ObjectNode details = payload.putObject("custom_details");
    details.put("alert", n.key().alert());
    details.put("objective", n.kind().label());
    burn(details, "burn_rate", n.burnRate());
    burn(details, "burn_threshold", n.burnThreshold());
    ArrayNode regions = details.putArray("regions");
    n.regions().forEach(regions::add);
    details.put("description", n.description());
    ArrayNode links = event.putArray("links");
    for (Notification.Link link : Texts.links(n)) {
      ObjectNode entry = links.addObject().put("href", link.href());
      if (!Texts.isBlank(link.text())) {
        entry.put("text", link.text());
      }
    }
    event.put("client", "clawrate");
    return event.toString();
  }

  /**
   * A number when finite; {@code +Inf} as a string otherwise, since JSON has no infinity; left out
   * when NaN (not a burn-rate alert).
   */
  private static void burn(ObjectNode details, String name, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    if (Double.isInfinite(value)) {
      details.put(name, Texts.number(value));
    } else {
      details.put(name, value);
    }
  }
}
