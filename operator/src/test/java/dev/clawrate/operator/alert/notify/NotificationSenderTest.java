package dev.clawrate.operator.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.ReceiverTarget;
import dev.clawrate.operator.alert.ReceiverType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class NotificationSenderTest {

  /** A Slack webhook URL's path is its credential: it must never show up in what we report. */
  private static final String PATH_TOKEN = "XyZzyPathToken4242";

  private static final String ROUTING_KEY = "R0utingKey0123456789abcdefSECRET";
  private static final String OWNER = "payments/acme-bank";
  private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Recorded(
      ReceiverTarget target, Notification notification, DeliveryOutcome outcome) {}

  private final List<Recorded> outcomes = new CopyOnWriteArrayList<>();
  private final List<MockWebServer> servers = new ArrayList<>();
  private final List<ScriptedReceiver> receivers = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(NotificationSender.class);
  private Level levelBefore;
  private NotificationSender sender;

  @BeforeEach
  void captureLogs() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void stop() throws IOException {
    receivers.forEach(ScriptedReceiver::open);
    if (sender != null) {
      sender.close();
    }
    for (MockWebServer server : servers) {
      server.shutdown();
    }
    logger.detachAppender(logged);
    logger.setLevel(levelBefore);
  }

  // ---- what is delivered, retried and rejected ----

  @Test
  void aServerErrorThenSuccessDeliversExactlyOnceMore() throws Exception {
    ScriptedReceiver receiver =
        receiver()
            .then(new MockResponse().setResponseCode(500).setBody("boom"))
            .then(new MockResponse().setResponseCode(200).setBody("ok"));
    MockWebServer server = serve(receiver);
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget slack = target(server, "team-chat", ReceiverType.SLACK);

    sender.send(slack, Samples.firing());

    awaitStates(slack, DeliveryState.RETRYING, DeliveryState.DELIVERED);
    assertEquals(2, receiver.count());
    String expected = SlackMessage.render(Samples.firing());
    assertEquals(List.of(expected, expected), receiver.bodies);
    assertEquals("POST", receiver.requests.get(0).getMethod());
    assertTrue(receiver.requests.get(0).getHeader("Content-Type").startsWith("application/json"));
    assertEquals("/services/T0/B0/" + PATH_TOKEN, receiver.requests.get(0).getPath());

    DeliveryOutcome retried = outcomesOf(slack).get(0);
    assertEquals(1, retried.attempts());
    assertEquals("HTTP 500", retried.problem());
    assertNotNull(retried.nextAttempt());
    assertEquals(
        new DeliveryOutcome(DeliveryState.DELIVERED, 2, null, null), outcomesOf(slack).get(1));
    assertEquals(1.0, counter(ReceiverType.SLACK, "delivered"));
    assertEquals(1.0, counter(ReceiverType.SLACK, "retried"));
    ReceiverHealth health =
        Await.value("health published", () -> sender.snapshot(slack), h -> h.pending() == 0);
    assertFalse(health.failing());
    assertEquals(DeliveryState.DELIVERED, health.lastOutcome());
  }

  @Test
  void aRetryAfterIsWaitedOut() throws Exception {
    ScriptedReceiver receiver =
        receiver()
            .then(new MockResponse().setResponseCode(429).setHeader("Retry-After", "2"))
            .then(new MockResponse().setResponseCode(200));
    MockWebServer server = serve(receiver);
    TestClock clock = new TestClock(T);
    sender = sender(clock, fastRetry(), generousRate(), 100);
    ReceiverTarget webhook = target(server, "incidents", ReceiverType.WEBHOOK);

    sender.send(webhook, Samples.firing());

    awaitStates(webhook, DeliveryState.RETRYING, DeliveryState.DELIVERED);
    DeliveryOutcome limited = outcomesOf(webhook).get(0);
    assertEquals("HTTP 429", limited.problem());
    assertEquals(
        T.plusSeconds(2), limited.nextAttempt(), "Retry-After, longer than the 10 ms backoff");
    long gap = receiver.arrivalNanos.get(1) - receiver.arrivalNanos.get(0);
    assertTrue(gap >= Duration.ofSeconds(2).toNanos(), "retried after " + gap + " ns");
  }

  @Test
  void networkErrorsAreRetriedUntilTheReceiverAnswers() throws Exception {
    HttpUrl dead = deadUrl();
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget down = target(dead, "team-chat", ReceiverType.SLACK);

    sender.send(down, Samples.firing());

    Await.until("three failed attempts", () -> outcomesOf(down).size() >= 3);
    List<DeliveryOutcome> failures = outcomesOf(down).subList(0, 3);
    for (int i = 0; i < 3; i++) {
      DeliveryOutcome failure = failures.get(i);
      assertEquals(DeliveryState.RETRYING, failure.state());
      assertEquals(i + 1, failure.attempts());
      assertTrue(failure.problem().matches("network error \\(\\w+\\)"), failure.problem());
    }
    ReceiverHealth health =
        Await.value("health published", () -> sender.snapshot(down), h -> h.failedAttempts() >= 3);
    assertTrue(health.failing());
    assertEquals(1, health.pending());
    assertEquals(DeliveryState.RETRYING, health.lastOutcome());

    ScriptedReceiver receiver = receiver();
    sender.update(target(serve(receiver), "team-chat", ReceiverType.SLACK));

    Await.until("delivered once the receiver answers", () -> delivered(down).size() == 1);
    assertEquals(1, receiver.count());
  }

  @Test
  void aRejectionIsRetriedOnTheSlowCadence() throws Exception {
    ScriptedReceiver receiver =
        receiver()
            .then(new MockResponse().setResponseCode(404).setBody("no_service"))
            .then(new MockResponse().setResponseCode(404).setBody("no_service"))
            .then(new MockResponse().setResponseCode(202));
    MockWebServer server = serve(receiver);
    TestClock clock = new TestClock(T);
    RetryPolicy retry =
        new RetryPolicy(
            Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofHours(1), () -> 0);
    sender = sender(clock, retry, generousRate(), 100);
    ReceiverTarget pagerDuty = target(server, "pager", ReceiverType.PAGERDUTY);

    sender.send(pagerDuty, Samples.firing());

    awaitStates(pagerDuty, DeliveryState.REJECTED, DeliveryState.REJECTED, DeliveryState.DELIVERED);
    DeliveryOutcome rejected = outcomesOf(pagerDuty).get(0);
    assertEquals("HTTP 404", rejected.problem());
    assertEquals(T.plus(Duration.ofMillis(200)), rejected.nextAttempt(), "every maxBackoff");
    assertEquals(2, outcomesOf(pagerDuty).get(1).attempts());
    assertEquals(2.0, counter(ReceiverType.PAGERDUTY, "rejected"));
    String expected = PagerDutyEvent.render(Samples.firing(), ROUTING_KEY);
    assertEquals(List.of(expected, expected, expected), receiver.bodies);
  }

  @Test
  void fixingTheSecretDeliversWithoutANewIncident() throws Exception {
    ScriptedReceiver wrong =
        receiver().otherwise(new MockResponse().setResponseCode(403).setBody("invalid_token"));
    ScriptedReceiver right = receiver();
    TestClock clock = new TestClock(T);
    RetryPolicy slowRejections =
        new RetryPolicy(Duration.ofMillis(10), Duration.ofHours(1), Duration.ofHours(1), () -> 0);
    sender = sender(clock, slowRejections, generousRate(), 100);
    ReceiverTarget broken = target(serve(wrong), "team-chat", ReceiverType.SLACK);

    sender.send(broken, Samples.firing());

    Await.until("rejected", () -> !outcomesOf(broken).isEmpty());
    ReceiverHealth failing =
        Await.value("health published", () -> sender.snapshot(broken), ReceiverHealth::failing);
    assertEquals(
        new ReceiverHealth(1, 1, T, "HTTP 403", DeliveryState.REJECTED, null, T.plusSeconds(3600)),
        failing);

    ReceiverTarget fixed = target(serve(right), "team-chat", ReceiverType.SLACK);
    sender.update(fixed);

    Await.until("delivered at the fixed address", () -> delivered(broken).size() == 1);
    assertEquals(1, wrong.count());
    assertEquals(List.of(SlackMessage.render(Samples.firing())), right.bodies);
    ReceiverHealth healthy =
        Await.value("health published", () -> sender.snapshot(fixed), h -> h.pending() == 0);
    assertFalse(healthy.failing());
    assertEquals(T, healthy.lastDelivered());
  }

  @Test
  void aNotificationWithTheNewSecretTakesThePendingOnesAlongInOrder() throws Exception {
    ScriptedReceiver wrong = receiver().otherwise(new MockResponse().setResponseCode(404));
    ScriptedReceiver right = receiver();
    RetryPolicy slowRejections =
        new RetryPolicy(Duration.ofMillis(10), Duration.ofHours(1), Duration.ofHours(1), () -> 0);
    sender = sender(Clock.systemUTC(), slowRejections, generousRate(), 100);
    ReceiverTarget broken = target(serve(wrong), "pager", ReceiverType.PAGERDUTY);
    sender.send(broken, Samples.firing());
    Await.until("rejected", () -> !outcomesOf(broken).isEmpty());

    sender.send(target(serve(right), "pager", ReceiverType.PAGERDUTY), Samples.resolved());

    Await.until("both delivered", () -> delivered(broken).size() == 2);
    assertEquals(
        List.of(
            PagerDutyEvent.render(Samples.firing(), ROUTING_KEY),
            PagerDutyEvent.render(Samples.resolved(), ROUTING_KEY)),
        right.bodies);
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    ScriptedReceiver elsewhere = receiver();
    MockWebServer other = serve(elsewhere);
    ScriptedReceiver receiver =
        receiver()
            .otherwise(
                new MockResponse()
                    .setResponseCode(302)
                    .setHeader("Location", other.url("/" + PATH_TOKEN)));
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget webhook = target(serve(receiver), "incidents", ReceiverType.WEBHOOK);

    sender.send(webhook, Samples.firing());

    Await.until("rejected", () -> !outcomesOf(webhook).isEmpty());
    DeliveryOutcome outcome = outcomesOf(webhook).get(0);
    assertEquals(DeliveryState.REJECTED, outcome.state());
    assertEquals("HTTP 302 (a redirect, not followed)", outcome.problem());
    assertEquals(0, elsewhere.count());
  }

  // ---- receivers apart, order, collapsing, rate limit ----

  @Test
  void receiversThatHangNeverDelayAnother() throws Exception {
    ScriptedReceiver hanging = receiver();
    hanging.close();
    MockWebServer stuck = serve(hanging);
    ScriptedReceiver healthy = receiver();
    MockWebServer fine = serve(healthy);
    assertEquals(stuck.getHostName(), fine.getHostName(), "one host, as hooks.slack.com is");
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);

    // More than okhttp's default of 5 requests per host, all held unanswered.
    for (int i = 0; i < 6; i++) {
      sender.send(target(stuck, "stuck-" + i, ReceiverType.SLACK), Samples.firing());
    }
    Await.until("six requests held", () -> hanging.count() == 6);
    ReceiverTarget other = target(fine, "other", ReceiverType.SLACK);
    for (long sequence = 1; sequence <= 3; sequence++) {
      sender.send(other, Samples.numbered("availability", sequence, AlertState.FIRING));
    }

    // Timeouts are 60 s: the other receiver is served long before any held request ends.
    Await.until("the other receiver served", () -> delivered(other).size() == 3);
    assertEquals(3, healthy.count());
    assertTrue(
        outcomes.stream().noneMatch(r -> r.target().name().startsWith("stuck-")),
        "the held requests are still in flight");
  }

  @Test
  void orderPerReceiverIsKeptThroughRetries() throws Exception {
    ScriptedReceiver receiver =
        receiver()
            .then(new MockResponse().setResponseCode(503))
            .then(new MockResponse().setResponseCode(503));
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget webhook = target(serve(receiver), "incidents", ReceiverType.WEBHOOK);
    List<Notification> sent =
        LongStream.rangeClosed(1, 10)
            .mapToObj(
                s ->
                    Samples.numbered(
                        "alert-" + (s % 3),
                        s,
                        s % 2 == 0 ? AlertState.RESOLVED : AlertState.FIRING))
            .toList();

    sent.forEach(n -> sender.send(webhook, n));

    Await.until("all delivered", () -> delivered(webhook).size() == 10);
    assertEquals(sent, delivered(webhook));
    List<String> summaries = new ArrayList<>();
    for (String body : receiver.bodies) {
      summaries.add(JSON.readTree(body).get("commonAnnotations").get("summary").textValue());
    }
    List<String> expected =
        Stream.concat(
                Stream.of("alert-1 #1", "alert-1 #1"), sent.stream().map(Notification::summary))
            .toList();
    assertEquals(expected, summaries);
  }

  @Test
  void aResolveQueuedBehindItsUndeliveredFiringKeepsBoth() throws Exception {
    ScriptedReceiver receiver = receiver();
    receiver.close();
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget pagerDuty = target(serve(receiver), "pager", ReceiverType.PAGERDUTY);

    sender.send(pagerDuty, Samples.firing());
    Await.until("firing in flight", () -> receiver.count() == 1);
    sender.send(pagerDuty, Samples.resolved());
    Await.until("resolve queued", () -> sender.snapshot(pagerDuty).pending() == 2);
    receiver.open();

    Await.until("both delivered", () -> delivered(pagerDuty).size() == 2);
    assertEquals(List.of(Samples.firing(), Samples.resolved()), delivered(pagerDuty));
    assertEquals("trigger", JSON.readTree(receiver.bodies.get(0)).get("event_action").textValue());
    assertEquals("resolve", JSON.readTree(receiver.bodies.get(1)).get("event_action").textValue());
  }

  @Test
  void theRateLimitDelaysButDeliversAll() throws Exception {
    ScriptedReceiver receiver = receiver();
    TestClock clock = new TestClock(T);
    sender = sender(clock, fastRetry(), new RateLimit.Settings(2, 2), 100);
    ReceiverTarget slack = target(serve(receiver), "team-chat", ReceiverType.SLACK);
    List<Notification> sent =
        LongStream.rangeClosed(1, 4)
            .mapToObj(s -> Samples.numbered("availability", s, AlertState.FIRING))
            .toList();

    sent.forEach(n -> sender.send(slack, n));

    // The clock stands still, so the queue wakes, finds no token and waits again.
    Await.until(
        "the burst delivered and the rest waiting",
        () -> delivered(slack).size() == 2 && counter(ReceiverType.SLACK, "rate_limited") >= 2);
    assertEquals(2, receiver.count());
    ReceiverHealth waiting = sender.snapshot(slack);
    assertEquals(2, waiting.pending());
    assertEquals(T.plusMillis(500), waiting.nextAttempt());

    clock.advance(Duration.ofSeconds(1));

    Await.until("all delivered", () -> delivered(slack).size() == 4);
    assertEquals(sent, delivered(slack));
    assertTrue(outcomesOf(slack).stream().allMatch(o -> o.state() == DeliveryState.DELIVERED));
  }

  // ---- the queue itself ----

  @Test
  void aNotificationAlreadyQueuedIsNotQueuedTwice() throws Exception {
    ScriptedReceiver receiver = receiver();
    receiver.close();
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget webhook = target(serve(receiver), "incidents", ReceiverType.WEBHOOK);
    Notification first = Samples.numbered("availability", 1, AlertState.FIRING);
    Notification second = Samples.numbered("availability", 2, AlertState.RESOLVED);

    sender.send(webhook, first);
    Await.until("in flight", () -> receiver.count() == 1);
    sender.send(webhook, first);
    sender.send(webhook, second);
    Await.until("the second queued", () -> sender.snapshot(webhook).pending() == 2);
    receiver.open();

    Await.until("delivered", () -> delivered(webhook).size() == 2);
    assertEquals(List.of(first, second), delivered(webhook));
    assertEquals(2, receiver.count());
  }

  @Test
  void aFullQueueDropsItsOldestWaitingNotification() throws Exception {
    ScriptedReceiver receiver = receiver();
    receiver.close();
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 2);
    ReceiverTarget webhook = target(serve(receiver), "incidents", ReceiverType.WEBHOOK);
    List<Notification> sent =
        LongStream.rangeClosed(1, 4)
            .mapToObj(s -> Samples.numbered("availability", s, AlertState.FIRING))
            .toList();

    sender.send(webhook, sent.get(0));
    Await.until("in flight", () -> receiver.count() == 1);
    sender.send(webhook, sent.get(1));
    sender.send(webhook, sent.get(2));
    sender.send(webhook, sent.get(3));
    Await.until("two dropped", () -> outcomesOf(webhook).size() == 2);
    receiver.open();

    Await.until("the rest delivered", () -> delivered(webhook).size() == 2);
    assertEquals(List.of(sent.get(0), sent.get(3)), delivered(webhook));
    List<Notification> dropped =
        outcomes.stream()
            .filter(r -> r.outcome().state() == DeliveryState.DROPPED)
            .map(Recorded::notification)
            .toList();
    assertEquals(List.of(sent.get(1), sent.get(2)), dropped);
    assertEquals(2.0, counter(ReceiverType.WEBHOOK, "dropped"));
  }

  @Test
  void forgettingAReceiverDropsItsQueue() throws Exception {
    ScriptedReceiver receiver = receiver().otherwise(new MockResponse().setResponseCode(503));
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget slack = target(serve(receiver), "team-chat", ReceiverType.SLACK);
    sender.send(slack, Samples.firing());
    Await.until("failing", () -> sender.snapshot(slack).failing());
    assertEquals(1.0, pendingGauge(ReceiverType.SLACK));

    sender.forget(slack);

    Await.until("forgotten", () -> sender.health().isEmpty());
    assertEquals(ReceiverHealth.IDLE, sender.snapshot(slack));
    assertEquals(0.0, pendingGauge(ReceiverType.SLACK));
  }

  @Test
  void aListenerThatThrowsStopsNothing() throws Exception {
    ScriptedReceiver receiver = receiver();
    List<Notification> told = new CopyOnWriteArrayList<>();
    sender =
        new NotificationSender(
            client(),
            Clock.systemUTC(),
            settings(fastRetry(), generousRate(), 100),
            registry,
            (target, n, outcome) -> {
              told.add(n);
              throw new IllegalStateException("listener bug");
            });
    ReceiverTarget slack = target(serve(receiver), "team-chat", ReceiverType.SLACK);

    sender.send(slack, Samples.numbered("availability", 1, AlertState.FIRING));
    sender.send(slack, Samples.numbered("availability", 2, AlertState.RESOLVED));

    Await.until("both delivered", () -> told.size() == 2);
    assertEquals(2, receiver.count());
    Await.until(
        "logged",
        () ->
            logged.list.stream().anyMatch(e -> e.getMessage().equals("delivery listener failed")));
  }

  // ---- bad input, secrets, metrics ----

  @Test
  void badInputIsRefusedNamingTheFieldNotTheValue() {
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    HttpUrl url = HttpUrl.get("https://events.example.com/v2/enqueue/" + PATH_TOKEN);
    ReceiverTarget noKey = new ReceiverTarget(OWNER, "pager", ReceiverType.PAGERDUTY, url, " ");
    Notification f = Samples.firing();
    Notification resolvedWithoutEnd =
        new Notification(
            f.key(),
            2,
            f.tenant(),
            f.kind(),
            f.severity(),
            AlertState.RESOLVED,
            f.startsAt(),
            null,
            f.summary(),
            f.description(),
            f.burnRate(),
            f.burnThreshold(),
            f.regions(),
            f.links());
    ReceiverTarget slack = new ReceiverTarget(OWNER, "chat", ReceiverType.SLACK, url, null);

    IllegalArgumentException missingKey =
        assertThrows(IllegalArgumentException.class, () -> sender.send(noKey, f));
    assertEquals("target.routingKey is required for a PagerDuty receiver", missingKey.getMessage());
    assertEquals(
        "notification.endsAt is required when resolved",
        assertThrows(IllegalArgumentException.class, () -> sender.send(slack, resolvedWithoutEnd))
            .getMessage());
    assertEquals(
        "notification is required",
        assertThrows(IllegalArgumentException.class, () -> sender.send(slack, null)).getMessage());
    assertEquals(
        "target.url is required",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    sender.send(
                        new ReceiverTarget(OWNER, "x", ReceiverType.WEBHOOK, null, null), f))
            .getMessage());
    assertTrue(sender.health().isEmpty());
  }

  @Test
  void secretsNeverReachOutcomesHealthOrLogs() throws Exception {
    String echoed = "you sent " + ROUTING_KEY + " to /" + PATH_TOKEN;
    ScriptedReceiver receiver =
        receiver()
            .then(new MockResponse().setResponseCode(500).setBody(echoed))
            .then(new MockResponse().setResponseCode(400).setBody(echoed))
            .then(new MockResponse().setResponseCode(202).setBody(echoed));
    MockWebServer server = serve(receiver);
    RetryPolicy quickRejections =
        new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofHours(1), () -> 1);
    sender = sender(Clock.systemUTC(), quickRejections, generousRate(), 100);
    ReceiverTarget pagerDuty = target(server, "pager", ReceiverType.PAGERDUTY);
    HttpUrl dead = deadUrl();
    ReceiverTarget down = target(dead, "chat", ReceiverType.SLACK);

    sender.send(pagerDuty, Samples.firing());
    sender.send(down, Samples.firing());

    awaitStates(pagerDuty, DeliveryState.RETRYING, DeliveryState.REJECTED, DeliveryState.DELIVERED);
    Await.until("network errors reported", () -> outcomesOf(down).size() >= 2);
    assertTrue(receiver.bodies.get(0).contains(ROUTING_KEY), "the key is sent, in the body only");
    List<String> secrets =
        List.of(
            PATH_TOKEN,
            ROUTING_KEY,
            "you sent",
            server.getHostName() + ":" + server.getPort(),
            ":" + dead.port());
    List<String> reported = new ArrayList<>();
    outcomes.forEach(r -> reported.add(String.valueOf(r.outcome())));
    sender.health().values().forEach(h -> reported.add(String.valueOf(h)));
    sender.health().keySet().forEach(k -> reported.add(String.valueOf(k)));
    for (ILoggingEvent event : logged.list) {
      reported.add(event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        event.getKeyValuePairs().forEach(kv -> reported.add(kv.key + "=" + kv.value));
      }
    }
    assertFalse(logged.list.isEmpty());
    for (String text : reported) {
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "'" + text + "' holds '" + secret + "'");
      }
    }
  }

  @Test
  void metricsCountOutcomesAndGaugePendingByType() throws Exception {
    ScriptedReceiver receiver = receiver();
    receiver.close();
    sender = sender(Clock.systemUTC(), fastRetry(), generousRate(), 100);
    ReceiverTarget webhook = target(serve(receiver), "incidents", ReceiverType.WEBHOOK);

    List<Counter> counters = registry.find(NotificationSender.COUNTER).counters().stream().toList();
    assertEquals(3 * 5, counters.size(), "every type and outcome from the start");
    counters.forEach(c -> assertFalse(c.getId().getDescription().isBlank()));
    Gauge gauge = registry.find(NotificationSender.PENDING_GAUGE).tag("type", "webhook").gauge();
    assertFalse(gauge.getId().getDescription().isBlank());

    sender.send(webhook, Samples.numbered("availability", 1, AlertState.FIRING));
    sender.send(webhook, Samples.numbered("availability", 2, AlertState.RESOLVED));
    Await.until("two pending", () -> pendingGauge(ReceiverType.WEBHOOK) == 2.0);
    assertEquals(0.0, pendingGauge(ReceiverType.SLACK));
    receiver.open();
    Await.until("none pending", () -> pendingGauge(ReceiverType.WEBHOOK) == 0.0);
    assertEquals(2.0, counter(ReceiverType.WEBHOOK, "delivered"));

    sender.close();
    List<Meter> left =
        registry.getMeters().stream()
            .filter(m -> m.getId().getName().startsWith(NotificationSender.COUNTER))
            .toList();
    assertEquals(List.of(), left, "closing removes its meters");
    sender.send(webhook, Samples.numbered("availability", 3, AlertState.FIRING));
    assertTrue(
        logged.list.stream()
            .anyMatch(e -> e.getMessage().contains("closed; notification not queued")));
  }

  // ---- helpers ----

  private ScriptedReceiver receiver() {
    ScriptedReceiver receiver = new ScriptedReceiver();
    receivers.add(receiver);
    return receiver;
  }

  private MockWebServer serve(ScriptedReceiver receiver) throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(receiver);
    server.start();
    servers.add(server);
    return server;
  }

  /** An address where nothing listens any more. */
  private static HttpUrl deadUrl() throws IOException {
    MockWebServer server = new MockWebServer();
    server.start();
    HttpUrl url = server.url("/services/T0/B0/" + PATH_TOKEN);
    server.shutdown();
    return url;
  }

  private static ReceiverTarget target(MockWebServer server, String name, ReceiverType type) {
    return target(server.url("/services/T0/B0/" + PATH_TOKEN), name, type);
  }

  private static ReceiverTarget target(HttpUrl url, String name, ReceiverType type) {
    return new ReceiverTarget(
        OWNER, name, type, url, type == ReceiverType.PAGERDUTY ? ROUTING_KEY : null);
  }

  private static RetryPolicy fastRetry() {
    return new RetryPolicy(
        Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofHours(1), () -> 1.0);
  }

  private static RateLimit.Settings generousRate() {
    return new RateLimit.Settings(1000, 100);
  }

  /** Timeouts far beyond any wait of a test: a test never passes by a request timing out. */
  private static DeliverySettings settings(
      RetryPolicy retry, RateLimit.Settings rate, int maxQueued) {
    return new DeliverySettings(
        retry, rate, Duration.ofSeconds(60), Duration.ofSeconds(60), maxQueued);
  }

  private static OkHttpClient client() {
    return new OkHttpClient.Builder()
        .readTimeout(Duration.ofSeconds(60))
        .writeTimeout(Duration.ofSeconds(60))
        .build();
  }

  private NotificationSender sender(
      Clock clock, RetryPolicy retry, RateLimit.Settings rate, int maxQueued) {
    return new NotificationSender(
        client(),
        clock,
        settings(retry, rate, maxQueued),
        registry,
        (target, n, outcome) -> outcomes.add(new Recorded(target, n, outcome)));
  }

  private List<DeliveryOutcome> outcomesOf(ReceiverTarget target) {
    return outcomes.stream()
        .filter(r -> ReceiverKey.of(r.target()).equals(ReceiverKey.of(target)))
        .map(Recorded::outcome)
        .toList();
  }

  private List<Notification> delivered(ReceiverTarget target) {
    return outcomes.stream()
        .filter(r -> ReceiverKey.of(r.target()).equals(ReceiverKey.of(target)))
        .filter(r -> r.outcome().state() == DeliveryState.DELIVERED)
        .map(Recorded::notification)
        .toList();
  }

  private void awaitStates(ReceiverTarget target, DeliveryState... states) {
    List<DeliveryState> expected = List.of(states);
    List<DeliveryState> seen =
        Await.value(
            "outcomes " + expected,
            () -> outcomesOf(target).stream().map(DeliveryOutcome::state).toList(),
            s -> s.size() >= expected.size());
    assertEquals(expected, seen);
  }

  private double counter(ReceiverType type, String outcome) {
    return registry
        .get(NotificationSender.COUNTER)
        .tags("type", type.label(), "outcome", outcome)
        .counter()
        .count();
  }

  private double pendingGauge(ReceiverType type) {
    return registry
        .get(NotificationSender.PENDING_GAUGE)
        .tags("type", type.label())
        .gauge()
        .value();
  }
}
