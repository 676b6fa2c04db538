package dev.clawrate.operator.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.alert.AlertKind;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PagerDutyEventTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTING_KEY = "R0123456789abcdef0123456789abcde";

  private static JsonNode render(Notification n) throws Exception {
    return JSON.readTree(PagerDutyEvent.render(n, ROUTING_KEY));
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void firingTriggersWithEveryDocumentedField() throws Exception {
    JsonNode event = render(Samples.firing());

    assertEquals(
        Set.of("routing_key", "dedup_key", "event_action", "payload", "links", "client"),
        names(event));
    assertEquals(ROUTING_KEY, event.get("routing_key").textValue());
    assertEquals("trigger", event.get("event_action").textValue());
    assertEquals(Samples.KEY.dedupKey(), event.get("dedup_key").textValue());
    assertTrue(event.get("dedup_key").textValue().length() <= 255);
    assertEquals("clawrate", event.get("client").textValue());

    JsonNode payload = event.get("payload");
    assertEquals(
        Set.of(
            "summary",
            "source",
            "severity",
            "timestamp",
            "component",
            "group",
            "class",
            "custom_details"),
        names(payload));
    assertEquals(Samples.SUMMARY, payload.get("summary").textValue());
    assertEquals("clawrate/payments/acme-bank", payload.get("source").textValue());
    assertEquals("critical", payload.get("severity").textValue());
    assertEquals(Samples.STARTS, Instant.parse(payload.get("timestamp").textValue()));
    assertEquals("acme-bank", payload.get("component").textValue());
    assertEquals("payments", payload.get("group").textValue());
    assertEquals("latency", payload.get("class").textValue());

    JsonNode details = payload.get("custom_details");
    assertTrue(details.isObject());
    assertEquals(
        Set.of("alert", "objective", "burn_rate", "burn_threshold", "regions", "description"),
        names(details));
    assertEquals("latency-page", details.get("alert").textValue());
    assertEquals("latency", details.get("objective").textValue());
    assertTrue(details.get("burn_rate").isNumber());
    assertEquals(15.2, details.get("burn_rate").doubleValue());
    assertTrue(details.get("burn_threshold").isNumber());
    assertEquals(14.4, details.get("burn_threshold").doubleValue());
    assertTrue(details.get("regions").isArray());
    assertEquals(List.of("eu-west", "local"), texts(details.get("regions").elements()));
    assertEquals(Samples.DESCRIPTION, details.get("description").textValue());

    JsonNode links = event.get("links");
    assertTrue(links.isArray());
    assertEquals(2, links.size());
    assertEquals(Samples.DASHBOARD.href(), links.get(0).get("href").textValue());
    assertEquals("Dashboard", links.get(0).get("text").textValue());
    assertEquals(Samples.RUNBOOK.href(), links.get(1).get("href").textValue());
    assertEquals("Runbook", links.get(1).get("text").textValue());
  }

  @Test
  void ticketIsAWarning() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.AVAILABILITY,
            Severity.TICKET,
            "acme-bank",
            Samples.SUMMARY,
            "",
            1.5,
            1,
            List.of(),
            List.of());

    JsonNode payload = render(n).get("payload");

    assertEquals("warning", payload.get("severity").textValue());
    assertEquals("availability", payload.get("class").textValue());
  }

  @Test
  void resolvedResolvesByDedupKeyAlone() throws Exception {
    JsonNode event = render(Samples.resolved());

    assertEquals(Set.of("routing_key", "dedup_key", "event_action"), names(event));
    assertEquals("resolve", event.get("event_action").textValue());
    assertEquals(ROUTING_KEY, event.get("routing_key").textValue());
    assertEquals(Samples.KEY.dedupKey(), event.get("dedup_key").textValue());
  }

  @Test
  void burnRatesThatAreNotNumbersAreLeftOutOrSpelledOut() throws Exception {
    Notification noBurn =
        Samples.with(
            AlertKind.CANARY,
            Severity.TICKET,
            "acme-bank",
            Samples.SUMMARY,
            "rolled back",
            Double.NaN,
            Double.NaN,
            List.of(),
            List.of());
    String rendered = PagerDutyEvent.render(noBurn, ROUTING_KEY);
    assertFalse(rendered.contains("NaN"), rendered);
    JsonNode details = JSON.readTree(rendered).get("payload").get("custom_details");
    assertFalse(details.has("burn_rate"));
    assertFalse(details.has("burn_threshold"));
    assertEquals(0, details.get("regions").size());

    Notification infinite =
        Samples.with(
            AlertKind.AVAILABILITY,
            Severity.PAGE,
            "acme-bank",
            Samples.SUMMARY,
            "",
            Double.POSITIVE_INFINITY,
            14.4,
            List.of(),
            List.of());
    // Parsing with Jackson's defaults proves the body is standard JSON (no Infinity token).
    JsonNode burn = render(infinite).get("payload").get("custom_details").get("burn_rate");
    assertEquals("+Inf", burn.textValue());
  }

  @Test
  void summaryIsCutToPagerDutysLimit() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.LATENCY,
            Severity.PAGE,
            "acme-bank",
            "s".repeat(2000),
            "",
            1,
            1,
            List.of(),
            List.of());

    String summary = render(n).get("payload").get("summary").textValue();

    assertEquals(1024, summary.length());
    assertTrue(summary.endsWith("…"));
  }

  @Test
  void onlyLinksWithAnAddressAreSentAndTextIsOptional() throws Exception {
    Notification n =
        Samples.with(
            AlertKind.LATENCY,
            Severity.PAGE,
            "acme-bank",
            Samples.SUMMARY,
            "",
            1,
            1,
            List.of(),
            List.of(
                new Notification.Link("", "https://example.com/a"),
                new Notification.Link("broken", "not a url")));

    JsonNode links = render(n).get("links");

    assertEquals(1, links.size());
    assertEquals(Set.of("href"), names(links.get(0)));
  }

  private static List<String> texts(Iterator<JsonNode> elements) {
    List<String> texts = new ArrayList<>();
    elements.forEachRemaining(e -> texts.add(e.textValue()));
    return texts;
  }
}
