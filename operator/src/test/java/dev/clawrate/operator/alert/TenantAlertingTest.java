package dev.clawrate.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.slo.BurnRule;
import dev.clawrate.operator.api.AlertEventsSpec;
import dev.clawrate.operator.api.AlertLinkSpec;
import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.AvailabilityObjectiveSpec;
import dev.clawrate.operator.api.BurnRateAlertSpec;
import dev.clawrate.operator.api.LatencyObjectiveSpec;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.SecretKeyRef;
import dev.clawrate.operator.api.TenantAlertingSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.api.TenantSloSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantAlertingTest {

  private static final Duration INTERVAL = Duration.ofSeconds(30);

  private static TenantConfig tenant(TenantSloSpec slo, TenantAlertingSpec alerting) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withNamespace("bank").withName("acme").build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef("scorer"));
    spec.setThreshold(600.0);
    spec.setSlo(slo);
    spec.setAlerting(alerting);
    tenant.setSpec(spec);
    return tenant;
  }

  @Test
  void noSloMeansTheDocumentedDefaults() {
    TenantAlerting alerting = TenantAlerting.of(tenant(null, null), INTERVAL);
    assertNull(alerting.problem());
    assertNotNull(alerting.policy());
    assertEquals(0.999, alerting.policy().objectives().availability().target(), 1e-12);
    assertEquals(0.99, alerting.policy().objectives().latency().target(), 1e-12);
    assertEquals(0.1, alerting.policy().objectives().latency().thresholdSeconds(), 1e-12);
    assertEquals(List.of(BurnRule.PAGE, BurnRule.TICKET), alerting.policy().windows().rules());
    assertEquals(100, alerting.policy().minRequests());
    assertEquals(
        Map.of(
            AlertKind.AVAILABILITY, "99.9% of requests not 5xx",
            AlertKind.LATENCY, "99% of requests within 100ms"),
        alerting.objectives());
    assertTrue(alerting.fallback() && alerting.regionHealth() && alerting.canary());
    assertEquals("acme", alerting.tenant());
  }

  @Test
  void objectivesCanBeTurnedOffAndBothOffLeavesNoPolicyButTheEvents() {
    TenantSloSpec slo = new TenantSloSpec();
    AvailabilityObjectiveSpec availability = new AvailabilityObjectiveSpec();
    availability.setDisabled(true);
    slo.setAvailability(availability);
    LatencyObjectiveSpec latency = new LatencyObjectiveSpec();
    latency.setDisabled(true);
    slo.setLatency(latency);
    TenantAlerting alerting = TenantAlerting.of(tenant(slo, null), INTERVAL);
    assertNull(alerting.policy());
    assertNull(alerting.problem());
    assertTrue(alerting.watched(), "events are still watched");
    TenantAlertingSpec quiet = new TenantAlertingSpec();
    AlertEventsSpec none = new AlertEventsSpec();
    none.setFallback(false);
    none.setRegions(false);
    none.setCanary(false);
    quiet.setEvents(none);
    assertFalse(TenantAlerting.of(tenant(slo, quiet), INTERVAL).watched());
  }

  @Test
  void windowsShorterThanTheIntervalOrAnUnreachableBurnRateAreAProblemNotAPolicy() {
    TenantSloSpec slo = new TenantSloSpec();
    BurnRateAlertSpec page = new BurnRateAlertSpec();
    page.setShortWindow("10s");
    slo.setPage(page);
    TenantAlerting tooShort = TenantAlerting.of(tenant(slo, null), INTERVAL);
    assertNull(tooShort.policy());
    assertNotNull(tooShort.problem());
    assertTrue(tooShort.problem().contains("10s"), tooShort.problem());

    TenantSloSpec loose = new TenantSloSpec();
    AvailabilityObjectiveSpec ninety = new AvailabilityObjectiveSpec();
    ninety.setObjectivePercent(90.0);
    loose.setAvailability(ninety);
    TenantAlerting unreachable = TenantAlerting.of(tenant(loose, null), INTERVAL);
    assertNull(unreachable.policy());
    assertTrue(unreachable.problem().contains("can never be reached"), unreachable.problem());
  }

  @Test
  void aLatencyThresholdAndSpecWindowsAreTakenAsWritten() {
    TenantSloSpec slo = new TenantSloSpec();
    LatencyObjectiveSpec latency = new LatencyObjectiveSpec();
    latency.setObjectivePercent(99.5);
    latency.setThreshold("250ms");
    slo.setLatency(latency);
    BurnRateAlertSpec ticket = new BurnRateAlertSpec();
    ticket.setLongWindow("3h");
    ticket.setShortWindow("15m");
    ticket.setBurnRate(3.0);
    slo.setTicket(ticket);
    slo.setMinRequests(500L);
    TenantAlerting alerting = TenantAlerting.of(tenant(slo, null), INTERVAL);
    assertEquals(0.25, alerting.policy().objectives().latency().thresholdSeconds(), 1e-12);
    assertEquals("99.5% of requests within 250ms", alerting.objectives().get(AlertKind.LATENCY));
    BurnRule rule = alerting.policy().windows().rules().get(1);
    assertEquals(Duration.ofHours(3), rule.longWindow());
    assertEquals(Duration.ofMinutes(15), rule.shortWindow());
    assertEquals(3.0, rule.factor());
    assertEquals(500, alerting.policy().minRequests());
  }

  private static AlertReceiverSpec receiver(String name, String... severities) {
    AlertReceiverSpec receiver = new AlertReceiverSpec();
    receiver.setName(name);
    receiver.setSlack(new SecretKeyRef());
    receiver.setSeverities(severities.length == 0 ? null : List.of(severities));
    return receiver;
  }

  @Test
  void receiversKeepTheirOrderAndFirstNameAndTakeTheSeveritiesTheyName() {
    TenantAlertingSpec spec = new TenantAlertingSpec();
    spec.setReceivers(
        List.of(
            receiver("pager", "page"),
            receiver("chat"),
            receiver("pager", "ticket"),
            receiver("Bad_Name")));
    TenantAlerting alerting = TenantAlerting.of(tenant(null, spec), INTERVAL);
    assertEquals(List.of("pager", "chat"), List.copyOf(alerting.receivers().keySet()));
    assertEquals(Set.of(Severity.PAGE), alerting.severities().get("pager"));
    assertEquals(Set.of(Severity.PAGE, Severity.TICKET), alerting.severities().get("chat"));
  }

  @Test
  void linksThatAreNotHttpOrCarryControlCharactersAreLeftOut() {
    TenantAlertingSpec spec = new TenantAlertingSpec();
    spec.setLinks(
        List.of(
            link("Dashboard", "https://grafana.example.com/d/x"),
            link("Script", "javascript:alert(1)"),
            link("New\nline", "https://example.com"),
            link("Runbook", "http://wiki.example.com/acme")));
    TenantAlerting alerting = TenantAlerting.of(tenant(null, spec), INTERVAL);
    assertEquals(
        List.of(
            new Notification.Link("Dashboard", "https://grafana.example.com/d/x"),
            new Notification.Link("Runbook", "http://wiki.example.com/acme")),
        alerting.links());
  }

  private static AlertLinkSpec link(String text, String url) {
    AlertLinkSpec link = new AlertLinkSpec();
    link.setText(text);
    link.setUrl(url);
    return link;
  }
}
