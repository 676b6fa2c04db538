package dev.clawrate.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.AlertCondition.Judgement;
import dev.clawrate.operator.api.AlertStatus;
import dev.clawrate.operator.api.TenantConfigStatus;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertBookTest {

  private static final ResourceKey KEY = ResourceKey.tenant("bank", "acme");
  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  private static final Map<String, Set<Severity>> BOTH =
      Map.of(
          "slack", Set.of(Severity.PAGE, Severity.TICKET),
          "pd", Set.of(Severity.PAGE));

  private static AlertCondition latency(Judgement judgement, List<String> regions) {
    return new AlertCondition(
        "latency-page",
        AlertKind.LATENCY,
        Severity.PAGE,
        judgement,
        15.2,
        14.4,
        regions,
        "burn rate 15 over 5m");
  }

  private final AlertBook book = new AlertBook();

  private void storeStatus() {
    book.persisted(KEY, book.view(KEY).version());
  }

  @Test
  void firesOnceWhileItKeepsFiringAndResolvesOnce() {
    assertTrue(
        book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0));
    storeStatus();
    for (int i = 1; i <= 5; i++) {
      assertFalse(
          book.apply(
              KEY,
              List.of(latency(Judgement.FIRING, List.of("eu"))),
              BOTH.keySet(),
              T0.plusSeconds(i)),
          "another firing evaluation changes nothing");
    }
    AlertBook.Alert alert = book.view(KEY).alerts().get(0);
    assertEquals(1, alert.sequence());
    assertEquals(AlertState.FIRING, alert.state());
    assertEquals(T0, alert.since());

    book.apply(KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), T0.plusSeconds(60));
    alert = book.view(KEY).alerts().get(0);
    assertEquals(2, alert.sequence());
    assertEquals(AlertState.RESOLVED, alert.state());
    assertEquals(T0.plusSeconds(60), alert.resolvedAt());
  }

  @Test
  void anUnknownJudgementHoldsTheAlertAsItIs() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    book.apply(
        KEY, List.of(latency(Judgement.UNKNOWN, List.of())), BOTH.keySet(), T0.plusSeconds(1));
    assertEquals(AlertState.FIRING, book.view(KEY).alerts().get(0).state());
    book.apply(
        KEY, List.of(latency(Judgement.UNKNOWN, List.of())), BOTH.keySet(), T0.plusSeconds(2));
    assertEquals(1, book.view(KEY).alerts().get(0).sequence());
  }

  @Test
  void nothingIsDueUntilTheStatusRecordingTheChangeIsStored() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    assertEquals(List.of(), book.due(KEY, BOTH));
    storeStatus();
    List<AlertBook.Due> due = book.due(KEY, BOTH);
    assertEquals(2, due.size());
    assertEquals(Set.of("slack", "pd"), Set.of(due.get(0).receiver(), due.get(1).receiver()));
    assertTrue(due.stream().allMatch(d -> d.sequence() == 1 && d.state() == AlertState.FIRING));
  }

  @Test
  void aReceiverThatMissedTheFiringIsToldItBeforeTheResolve() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    storeStatus();
    assertTrue(book.delivered(KEY, "latency-page", "pd", 1));
    book.apply(KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), T0.plusSeconds(9));
    storeStatus();
    List<AlertBook.Due> due = book.due(KEY, BOTH);
    List<String> told =
        due.stream().map(d -> d.receiver() + ":" + d.sequence() + ":" + d.state()).toList();
    assertEquals(List.of("slack:1:FIRING", "slack:2:RESOLVED", "pd:2:RESOLVED"), sorted(told));
  }

  private static List<String> sorted(List<String> list) {
    // Receivers' order is a map's; what matters is each receiver's own order, kept by the list.
    List<String> slack = list.stream().filter(s -> s.startsWith("slack")).toList();
    List<String> pd = list.stream().filter(s -> s.startsWith("pd")).toList();
    return java.util.stream.Stream.concat(slack.stream(), pd.stream()).toList();
  }

  @Test
  void aReceiverOnlyGetsTheSeveritiesItTakes() {
    book.apply(
        KEY,
        List.of(
            new AlertCondition(
                "availability-ticket",
                AlertKind.AVAILABILITY,
                Severity.TICKET,
                Judgement.FIRING,
                7,
                6,
                List.of("eu"),
                "burn")),
        BOTH.keySet(),
        T0);
    storeStatus();
    assertEquals(
        List.of("slack"), book.due(KEY, BOTH).stream().map(AlertBook.Due::receiver).toList());
  }

  @Test
  void deliveriesAreRecordedOnceAndNeverGoBack() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    storeStatus();
    assertTrue(book.delivered(KEY, "latency-page", "slack", 1));
    assertFalse(book.delivered(KEY, "latency-page", "slack", 1));
    assertFalse(book.delivered(KEY, "latency-page", "slack", 0));
    assertFalse(book.delivered(KEY, "no-such-alert", "slack", 1));
    assertEquals(List.of("pd"), book.due(KEY, BOTH).stream().map(AlertBook.Due::receiver).toList());
  }

  @Test
  void aRestartTakesTheAlertsBackFromStatusAndOwesNothingAlreadyDelivered() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    storeStatus();
    book.delivered(KEY, "latency-page", "slack", 1);
    TenantConfigStatus status = new TenantConfigStatus();
    status.setAlerts(AlertStatuses.of(book.view(KEY).alerts()));

    AlertBook restarted = new AlertBook();
    restarted.seed(KEY, status);
    AlertBook.Alert alert = restarted.view(KEY).alerts().get(0);
    assertEquals(AlertState.FIRING, alert.state());
    assertEquals(T0, alert.since());
    assertEquals(List.of("eu"), alert.regions());
    assertEquals(
        List.of("pd"),
        restarted.due(KEY, BOTH).stream().map(AlertBook.Due::receiver).toList(),
        "what the status records as stored is due at once; the delivered one is not");
    assertFalse(
        restarted.apply(
            KEY,
            List.of(latency(Judgement.FIRING, List.of("eu"))),
            BOTH.keySet(),
            T0.plusSeconds(99)),
        "still firing after the restart: no new incident");
    restarted.seed(KEY, new TenantConfigStatus());
    assertEquals(1, restarted.view(KEY).alerts().size(), "a second seed changes nothing");
  }

  @Test
  void alertsInStatusThatCannotBeReadAreLeftOut() {
    AlertStatus garbage = new AlertStatus();
    garbage.setName("../etc");
    garbage.setObjective("latency");
    garbage.setSeverity("page");
    garbage.setState("Firing");
    garbage.setSince(T0.toString());
    garbage.setSequence(1L);
    AlertStatus noSince = new AlertStatus();
    noSince.setName("latency-page");
    noSince.setObjective("latency");
    noSince.setSeverity("page");
    noSince.setState("Firing");
    noSince.setSequence(1L);
    TenantConfigStatus status = new TenantConfigStatus();
    status.setAlerts(List.of(garbage, noSince));
    book.seed(KEY, status);
    assertEquals(List.of(), book.view(KEY).alerts());
  }

  @Test
  void aFiringAlertNoLongerJudgedResolves() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    book.apply(KEY, List.of(), BOTH.keySet(), T0.plusSeconds(5));
    AlertBook.Alert alert = book.view(KEY).alerts().get(0);
    assertEquals(AlertState.RESOLVED, alert.state());
    assertEquals("no longer watched", alert.reason());
  }

  @Test
  void aResolvedAlertLeavesStatusAnHourAfterEveryReceiverWasTold() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    book.apply(KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), T0.plusSeconds(1));
    Instant later = T0.plusSeconds(1).plus(AlertBook.KEEP_RESOLVED);
    book.apply(KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), later);
    assertEquals(1, book.view(KEY).alerts().size(), "the receivers were not told yet");
    book.delivered(KEY, "latency-page", "slack", 2);
    book.delivered(KEY, "latency-page", "pd", 2);
    book.apply(
        KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), later.minusSeconds(1));
    assertEquals(1, book.view(KEY).alerts().size(), "not yet an hour");
    book.apply(KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), later);
    assertEquals(List.of(), book.view(KEY).alerts());
  }

  @Test
  void aNewIncidentOfTheSameAlertTakesTheNextSequence() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    book.apply(KEY, List.of(latency(Judgement.OK, List.of())), BOTH.keySet(), T0.plusSeconds(1));
    book.apply(
        KEY,
        List.of(latency(Judgement.FIRING, List.of("us"))),
        BOTH.keySet(),
        T0.plus(Duration.ofMinutes(3)));
    AlertBook.Alert alert = book.view(KEY).alerts().get(0);
    assertEquals(3, alert.sequence());
    assertEquals(3, alert.firingSequence());
    assertEquals(T0.plus(Duration.ofMinutes(3)), alert.since());
  }

  @Test
  void regionsOfAFiringAlertFollowTheEvaluationWithoutANewNotification() {
    book.apply(KEY, List.of(latency(Judgement.FIRING, List.of("eu"))), BOTH.keySet(), T0);
    assertTrue(
        book.apply(
            KEY,
            List.of(latency(Judgement.FIRING, List.of("eu", "us"))),
            BOTH.keySet(),
            T0.plusSeconds(1)));
    AlertBook.Alert alert = book.view(KEY).alerts().get(0);
    assertEquals(List.of("eu", "us"), alert.regions());
    assertEquals(1, alert.sequence());
  }
}
