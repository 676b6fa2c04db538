package dev.clawrate.operator.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AlertmanagerWebhookTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode render(Notification n, String receiver) throws Exception {
    return JSON.readTree(AlertmanagerWebhook.render(n, receiver));
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object
        .fields()
        .forEachRemaining(
            e -> {
              assertTrue(e.getValue().isTextual(), e.getKey() + " is a string");
              map.put(e.getKey(), e.getValue().textValue());
            });
    return map;
  }

  @Test
  void firingHasAlertmanagersVersion4Shape() throws Exception {
    JsonNode message = render(Samples.firing(), "oncall");

    assertEquals(
        Set.of(
            "version",
            "groupKey",
            "truncatedAlerts",
            "status",
            "receiver",
            "groupLabels",
            "commonLabels",
            "commonAnnotations",
            "externalURL",
            "alerts"),
        names(message));
    assertEquals("4", message.get("version").textValue());
    assertEquals(
        "{}/{receiver=\"oncall\"}:{alertname=\"ClawrateTenantSLO\", tenant=\"acme-bank\"}",
        message.get("groupKey").textValue());
    assertTrue(message.get("truncatedAlerts").isIntegralNumber());
    assertEquals(0, message.get("truncatedAlerts").intValue());
    assertEquals("firing", message.get("status").textValue());
    assertEquals("oncall", message.get("receiver").textValue());
    assertEquals("", message.get("externalURL").textValue());
    assertEquals(
        Map.of("alertname", "ClawrateTenantSLO", "tenant", "acme-bank"),
        strings(message.get("groupLabels")));

    Map<String, String> labels =
        Map.of(
            "alertname", "ClawrateTenantSLO",
            "tenant", "acme-bank",
            "namespace", "payments",
            "tenantconfig", "acme-bank",
            "objective", "latency",
            "severity", "page",
            "alert", "latency-page");
    Map<String, String> annotations =
        Map.of(
            "summary", Samples.SUMMARY,
            "description", Samples.DESCRIPTION,
            "burn_rate", "15.2",
            "burn_threshold", "14.4",
            "regions", "eu-west,local");
    assertEquals(labels, strings(message.get("commonLabels")));
    assertEquals(annotations, strings(message.get("commonAnnotations")));

    JsonNode alerts = message.get("alerts");
    assertTrue(alerts.isArray());
    assertEquals(1, alerts.size());
    JsonNode alert = alerts.get(0);
    assertEquals(
        Set.of(
            "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"),
        names(alert));
    assertEquals("firing", alert.get("status").textValue());
    assertEquals(labels, strings(alert.get("labels")));
    assertEquals(annotations, strings(alert.get("annotations")));
    assertEquals("2025-03-01T10:15:30Z", alert.get("startsAt").textValue());
    assertEquals("0001-01-01T00:00:00Z", alert.get("endsAt").textValue());
    assertEquals(Samples.DASHBOARD.href(), alert.get("generatorURL").textValue());
    assertEquals(Samples.KEY.dedupKey(), alert.get("fingerprint").textValue());
  }

  @Test
  void resolvedCarriesItsEndAndKeepsTheGroupKey() throws Exception {
    JsonNode firing = render(Samples.firing(), "oncall");
    JsonNode resolved = render(Samples.resolved(), "oncall");

    assertEquals("resolved", resolved.get("status").textValue());
    JsonNode alert = resolved.get("alerts").get(0);
    assertEquals("resolved", alert.get("status").textValue());
    assertEquals("2025-03-01T10:15:30Z", alert.get("startsAt").textValue());
    assertEquals("2025-03-01T11:02:00Z", alert.get("endsAt").textValue());
    assertEquals(firing.get("groupKey"), resolved.get("groupKey"));
    assertEquals(firing.get("alerts").get(0).get("fingerprint"), alert.get("fingerprint"));
    assertNotEquals(firing.get("groupKey"), render(Samples.firing(), "other").get("groupKey"));
  }

  @Test
  void eachKindHasItsAlertName() {
    assertEquals("ClawrateTenantSLO", AlertmanagerWebhook.alertName(AlertKind.LATENCY));
    assertEquals("ClawrateTenantSLO", AlertmanagerWebhook.alertName(AlertKind.AVAILABILITY));
    assertEquals("ClawrateTenantFallback", AlertmanagerWebhook.alertName(AlertKind.FALLBACK));
    assertEquals("ClawrateRegionUnhealthy", AlertmanagerWebhook.alertName(AlertKind.REGION));
    assertEquals("ClawrateCanaryRolledBack", AlertmanagerWebhook.alertName(AlertKind.CANARY));
  }

  @Test
  void withoutBurnRateRegionsOrLinksThoseAreLeftOut() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.FALLBACK,
            Severity.TICKET,
            "acme-bank",
            "fallbacks answer 12% of requests",
            "the model traps",
            Double.NaN,
            Double.NaN,
            List.of(),
            List.of());
    String rendered = AlertmanagerWebhook.render(n, "team");
    JsonNode message = JSON.readTree(rendered);

    assertFalse(rendered.contains("NaN"), rendered);
    JsonNode alert = message.get("alerts").get(0);
    assertEquals(Set.of("summary", "description"), names(alert.get("annotations")));
    assertEquals("", alert.get("generatorURL").textValue());
    assertEquals("ClawrateTenantFallback", alert.get("labels").get("alertname").textValue());
    assertEquals("fallback", alert.get("labels").get("objective").textValue());
    assertEquals("ticket", alert.get("labels").get("severity").textValue());
  }

  @Test
  void groupKeyQuotesWhatWouldBreakItsSyntax() {
    assertEquals(
        "{}/{receiver=\"a\\\"b\\\\c\"}:{alertname=\"X\", tenant=\"t\"}",
        AlertmanagerWebhook.groupKey("a\"b\\c", "X", "t"));
  }
}
