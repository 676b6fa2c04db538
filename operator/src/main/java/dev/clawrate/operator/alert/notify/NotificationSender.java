package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.Threads;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.ReceiverTarget;
import dev.clawrate.operator.alert.ReceiverType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to Slack, PagerDuty and webhook receivers, at least once and in order per
 * receiver.
 *
 * <p><b>Queues.</b> Each receiver (TenantConfig, receiver name, type: {@link ReceiverKey}) has one
 * FIFO queue with at most one request in flight, so its notifications arrive in the order they were
 * sent. Receivers never wait for each other: one thread only decides and schedules, requests go out
 * with okhttp's {@code enqueue} on a dispatcher of our own without okhttp's limit of 5 requests per
 * host (every Slack receiver is on hooks.slack.com), and a receiver that is down waits out its own
 * backoff.
 *
 * <p><b>A changed Secret.</b> The queue is the receiver's, not its address's. When a receiver's URL
 * or routing key changes ({@link #send} or {@link #update} with the new target), its queue starts
 * afresh at the new address: a new rate-limit bucket, attempts counted from zero, and an attempt at
 * once instead of waiting out the old address's backoff. Its pending notifications stay queued, in
 * order, and go to the new address. A queue per address would instead strand them at the old one: a
 * revoked webhook or a wrong key would keep them forever, and fixing the Secret (what a rejected
 * receiver needs) would deliver nothing until a new incident. An attempt in flight when the address
 * changes finishes where it went; if it fails, it is retried at the new address at once. Health
 * stays the receiver's: "failing since" keeps counting until something is delivered.
 *
 * <p><b>No collapsing.</b> A firing not yet delivered when its resolve is queued is still sent,
 * then the resolve: PagerDuty opens and closes the alert, a webhook sees both states, Slack shows
 * that it fired and resolved. Dropping the firing would hide that an incident happened, and keeping
 * both is simple and correct for every receiver. A notification already queued (same {@link
 * Notification#id()}) is not queued twice.
 *
 * <p><b>Bounds.</b> A receiver's queue holds at most {@link DeliverySettings#maxQueued()}
 * notifications; beyond it the oldest not in flight is dropped (outcome {@code DROPPED}). Nothing
 * else is ever dropped: over the rate limit a notification waits, and a rejected one is retried
 * every {@link RetryPolicy#maxBackoff()}.
 *
 * <p>Outcomes go to the {@link DeliveryListener}, to the counter {@code
 * clawrate.operator.notifications} and to {@link #health()}. Nothing this class logs or reports
 * holds a URL, a routing key or anything a receiver answered beyond its status code.
 */
public final class NotificationSender implements AutoCloseable {

  static final String COUNTER = "clawrate.operator.notifications";
  static final String PENDING_GAUGE = "clawrate.operator.notifications.pending";
  static final String RATE_LIMITED = "rate_limited";

  private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** What a request carries when it fails, or its status and Retry-After when it got an answer. */
  private record Result(int status, String retryAfter, String error) {}

  private final OkHttpClient http;
  private final ExecutorService httpThreads;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final DeliverySettings settings;
  private final DeliveryListener listener;
  private final MeterRegistry registry;

  /** By "type/outcome"; every one registered up front, so each series exists from the start. */
  private final Map<String, Counter> counters;

  private final List<Meter> meters = new ArrayList<>();

  /**
   * Only the sender's thread reads or writes the queues: every change is a task on that thread, so
   * no lock is needed and no caller ever waits for a receiver.
   */
  private final Map<ReceiverKey, ReceiverQueue> queues = new HashMap<>();

  /**
   * Numbers attempts so a late answer to a cancelled or superseded one is recognised; one thread.
   */
  private long attemptIds;

  /**
   * The queues' health as of the sender's last step, for any thread: an immutable map the sender's
   * thread replaces after each step.
   */
  private volatile Map<ReceiverKey, ReceiverHealth> health = Map.of();

  /**
   * @param http the client to build on: its DNS (the address policy), proxy, TLS and read and write
   *     timeouts are kept; its connect and call timeouts, redirects and dispatcher are replaced by
   *     ours
   */
  public NotificationSender(
      OkHttpClient http,
      Clock clock,
      DeliverySettings settings,
      MeterRegistry registry,
      DeliveryListener listener) {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(listener, "listener");
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
    this.registry = registry;
    this.httpThreads = Threads.elastic("clawrate-notify-http");
    Dispatcher dispatcher = new Dispatcher(httpThreads);
    // Each receiver has at most one request in flight, so receivers bound the requests already.
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.http =
        http.newBuilder()
            .dispatcher(dispatcher)
            // A receiver does not redirect, and following one would bypass the address policy.
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(settings.connectTimeout())
            .callTimeout(settings.callTimeout())
            .build();
    this.executor = Threads.single("clawrate-notify");
    Map<String, Counter> byTypeAndOutcome = new HashMap<>();
    for (ReceiverType type : ReceiverType.values()) {
      for (String outcome :
          List.of(
              DeliveryState.DELIVERED.label(),
              DeliveryState.RETRYING.label(),
              DeliveryState.REJECTED.label(),
              DeliveryState.DROPPED.label(),
              RATE_LIMITED)) {
        Counter counter =
            Counter.builder(COUNTER)
                .description(
                    "Notification delivery attempts by receiver type and outcome (delivered,"
                        + " retried, rejected: a 4xx or redirect, retried slowly), notifications"
                        + " dropped from a full queue, and waits for a receiver's rate limit"
                        + " (rate_limited)")
                .tags("type", type.label(), "outcome", outcome)
                .register(registry);
        byTypeAndOutcome.put(type.label() + "/" + outcome, counter);
        meters.add(counter);
      }
      meters.add(
          Gauge.builder(PENDING_GAUGE, this, s -> s.pending(type))
              .description(
                  "Notifications queued for delivery, the ones in flight included, by receiver"
                      + " type")
              .tag("type", type.label())
              .register(registry));
    }
    this.counters = Map.copyOf(byTypeAndOutcome);
  }

  /**
   * Queues {@code notification} for {@code target}'s receiver and returns at once.
   *
   * @throws IllegalArgumentException when the target or notification lacks a required field (named,
   *     never quoted)
   */
  public void send(ReceiverTarget target, Notification notification) {
    Payloads.check(target, notification);
    if (!submit(() -> accept(target, notification))) {
      LOG.atWarn()
          .addKeyValue("receiver", target.toString())
          .addKeyValue("alert", notification.key().toString())
          .log("notification sender is closed; notification not queued");
    }
  }

  /**
   * Tells the sender a receiver's target changed (its Secret was fixed or rotated) when no new
   * notification brings it: its pending notifications are tried at the new address now.
   */
  public void update(ReceiverTarget target) {
    Payloads.checkTarget(target);
    submit(
        () -> {
          ReceiverQueue queue = queues.get(ReceiverKey.of(target));
          if (queue != null) {
            retarget(queue, target);
            drive(queue);
          }
        });
  }

  /**
   * Drops a receiver's queue, undelivered notifications and all, when its TenantConfig or the
   * receiver is removed. A request in flight is cancelled; no outcome is reported for any of them.
   */
  public void forget(ReceiverTarget target) {
    Objects.requireNonNull(target, "target");
    ReceiverKey key = ReceiverKey.of(target);
    submit(
        () -> {
          ReceiverQueue queue = queues.remove(key);
          if (queue != null) {
            queue.cancel();
          }
        });
  }

  /** The receiver's health as of the sender's last step; {@link ReceiverHealth#IDLE} if unknown. */
  public ReceiverHealth snapshot(ReceiverTarget target) {
    Objects.requireNonNull(target, "target");
    return health.getOrDefault(ReceiverKey.of(target), ReceiverHealth.IDLE);
  }

  /** Every known receiver's health as of the sender's last step. */
  public Map<ReceiverKey, ReceiverHealth> health() {
    return health;
  }

  /**
   * Stops: cancels the requests in flight and forgets every queue. Returns at once; a step under
   * way on the sender's thread may still finish.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    http.dispatcher().cancelAll();
    httpThreads.shutdownNow();
    meters.forEach(registry::remove);
  }

  private int pending(ReceiverType type) {
    return health.entrySet().stream()
        .filter(entry -> entry.getKey().type() == type)
        .mapToInt(entry -> entry.getValue().pending())
        .sum();
  }

  private void accept(ReceiverTarget target, Notification n) {
    ReceiverKey key = ReceiverKey.of(target);
    ReceiverQueue queue = queues.get(key);
    if (queue == null) {
      queue = new ReceiverQueue(target, new RateLimit(settings.rateLimit(), clock));
      queues.put(key, queue);
    } else {
      retarget(queue, target);
    }
    if (queue.contains(n)) {
      return;
    }
    ReceiverQueue receiver = queue;
    queue
        .offer(n, settings.maxQueued())
        .ifPresent(
            dropped ->
                report(
                    receiver,
                    dropped,
                    new DeliveryOutcome(DeliveryState.DROPPED, 0, "queue full", null)));
    drive(queue);
  }

  private void retarget(ReceiverQueue queue, ReceiverTarget target) {
    if (queue.retarget(target, new RateLimit(settings.rateLimit(), clock))) {
      queue.cancelWait();
      LOG.atInfo()
          .addKeyValue("receiver", target.toString())
          .log("receiver's address changed; its pending notifications go there now");
    }
  }

  /** Starts the next attempt of the receiver, unless one is in flight or it is waiting. */
  private void drive(ReceiverQueue queue) {
    while (!queue.busy() && !queue.isEmpty()) {
      Notification n = queue.head();
      String body;
      try {
        body = Payloads.render(queue.target(), n);
      } catch (RuntimeException e) {
        queue.removeHead();
        report(
            queue,
            n,
            new DeliveryOutcome(
                DeliveryState.DROPPED,
                0,
                "cannot be rendered (" + e.getClass().getSimpleName() + ")",
                null));
        continue;
      }
      Duration wait = queue.rateLimit().acquire();
      if (!wait.isZero()) {
        count(queue.target().type(), RATE_LIMITED);
        wake(queue, wait, clock.instant().plus(wait));
        return;
      }
      attempt(queue, body);
    }
  }

  private void attempt(ReceiverQueue queue, String body) {
    long id = ++attemptIds;
    Request request =
        new Request.Builder()
            .url(queue.target().url())
            .header("User-Agent", "clawrate-operator")
            .post(RequestBody.create(body, JSON))
            .build();
    Call call = http.newCall(request);
    queue.begin(call, id);
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, IOException e) {
            Result result = new Result(0, null, e.getClass().getSimpleName());
            submit(() -> finish(queue, id, result));
          }

          @Override
          public void onResponse(Call answered, Response response) {
            // The body is never read: only the status and Retry-After decide, and nothing a
            // receiver wrote can reach a log that way.
            Result result;
            try (response) {
              result = new Result(response.code(), response.header("Retry-After"), null);
            }
            submit(() -> finish(queue, id, result));
          }
        });
  }

  private void finish(ReceiverQueue queue, long id, Result result) {
    if (queues.get(ReceiverKey.of(queue.target())) != queue || !queue.isAttempt(id)) {
      return;
    }
    int attempts = queue.end();
    Notification n = queue.head();
    Instant now = clock.instant();
    RetryPolicy policy = settings.retry();
    RetryPolicy.Decision decision =
        result.error() != null
            ? policy.afterNetworkError(attempts)
            : policy.afterResponse(result.status(), result.retryAfter(), attempts, now);
    if (decision.state() == DeliveryState.DELIVERED) {
      queue.delivered(now);
      report(queue, n, new DeliveryOutcome(DeliveryState.DELIVERED, attempts, null, null));
      drive(queue);
      return;
    }
    String problem =
        result.error() != null
            ? "network error (" + result.error() + ")"
            : RetryPolicy.describe(result.status());
    Duration delay = queue.attemptWentToCurrentAddress() ? decision.delay() : Duration.ZERO;
    Instant next = now.plus(delay);
    queue.failed(decision.state(), problem, now);
    wake(queue, delay, next);
    report(queue, n, new DeliveryOutcome(decision.state(), attempts, problem, next));
  }

  private void wake(ReceiverQueue queue, Duration delay, Instant at) {
    ReceiverKey key = ReceiverKey.of(queue.target());
    try {
      ScheduledFuture<?> wakeup =
          executor.schedule(
              () ->
                  step(
                      () -> {
                        if (queues.get(key) == queue) {
                          queue.woke();
                          drive(queue);
                        }
                      }),
              delay.toNanos(),
              TimeUnit.NANOSECONDS);
      queue.waitUntil(wakeup, at);
    } catch (RejectedExecutionException closed) {
      // Closing: nothing is attempted any more.
    }
  }

  private void report(ReceiverQueue queue, Notification n, DeliveryOutcome outcome) {
    ReceiverTarget target = queue.target();
    count(target.type(), outcome.state().label());
    log(target, n, outcome);
    try {
      listener.onOutcome(target, n, outcome);
    } catch (RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("receiver", target.toString())
          .addKeyValue("error", e.getClass().getName())
          .log("delivery listener failed");
    }
  }

  private static void log(ReceiverTarget target, Notification n, DeliveryOutcome outcome) {
    boolean firstFailure = outcome.attempts() == 1;
    var event =
        switch (outcome.state()) {
          case DELIVERED -> outcome.attempts() > 1 ? LOG.atInfo() : LOG.atDebug();
          case RETRYING -> firstFailure ? LOG.atWarn() : LOG.atDebug();
          case REJECTED, DROPPED -> LOG.atWarn();
        };
    event = event.addKeyValue("receiver", target.toString());
    event = event.addKeyValue("alert", n.key().toString());
    event = event.addKeyValue("sequence", n.sequence());
    event = event.addKeyValue("state", n.state().label());
    event = event.addKeyValue("attempts", outcome.attempts());
    if (outcome.problem() != null) {
      event = event.addKeyValue("problem", outcome.problem());
    }
    if (outcome.nextAttempt() != null) {
      event = event.addKeyValue("nextAttempt", outcome.nextAttempt().toString());
    }
    event.log(
        switch (outcome.state()) {
          case DELIVERED -> "notification delivered";
          case RETRYING -> "notification not delivered; retrying";
          case REJECTED ->
              "receiver refused the notification (check its Secret and URL); retrying slowly";
          case DROPPED -> "notification dropped";
        });
  }

  private void count(ReceiverType type, String outcome) {
    counters.get(type.label() + "/" + outcome).increment();
  }

  /**
   * Runs {@code task} on the sender's thread.
   *
   * @return false when the sender is closed
   */
  private boolean submit(Runnable task) {
    try {
      executor.execute(() -> step(task));
      return true;
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  /** One step on the sender's thread; whatever happens, health is published after it. */
  private void step(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // The class only: a message might quote an address.
      LOG.atError().addKeyValue("error", e.getClass().getName()).log("notification sender failed");
    } finally {
      health =
          queues.entrySet().stream()
              .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().health()));
    }
  }
}
