package dev.clawrate.operator.alert;

import dev.clawrate.operator.alert.notify.DeliveryListener;
import dev.clawrate.operator.alert.notify.DeliveryOutcome;
import dev.clawrate.operator.alert.notify.DeliveryState;
import dev.clawrate.operator.alert.notify.NotificationSender;
import dev.clawrate.operator.alert.notify.ReceiverHealth;
import dev.clawrate.operator.api.AlertReceiverSpec;
import dev.clawrate.operator.api.ReceiverStatus;
import dev.clawrate.operator.render.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what the alert book says is owed to the receivers: resolves each receiver's Secret, words
 * the notification, queues it with the sender once, and records in the book what each receiver
 * accepted. What each receiver is owed lives in the book (and so in status), never here: a queue
 * lost with a restart, or a notification dropped from a full queue, is owed again and sent again.
 *
 * <p>Called by the evaluator thread, the tenant reconciler's threads and the sender's listener
 * thread; its maps are guarded by this object's lock, and it does no I/O under it except reading a
 * receiver's Secret.
 */
public final class AlertDispatcher implements DeliveryListener {

  /** How often a receiver whose Secret cannot be used is looked at again. */
  static final Duration RESOLVE_AGAIN = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

  /** One receiver of one TenantConfig. */
  private record Receiver(ResourceKey key, String name) {}

  /** A receiver's Secret as last read: a target, or why there is none, and when. */
  private record Resolution(
      AlertReceiverSpec spec, ReceiverResolver.Resolved resolved, Instant at) {}

  private final AlertBook book;
  private final ReceiverResolver resolver;
  private final Consumer<ResourceKey> wake;
  private final Clock clock;
  private final Map<Receiver, Resolution> resolutions = new HashMap<>();
  private final Set<String> queued = new HashSet<>();
  private NotificationSender sender;

  public AlertDispatcher(
      AlertBook book, ReceiverResolver resolver, Consumer<ResourceKey> wake, Clock clock) {
    this.book = book;
    this.resolver = resolver;
    this.wake = wake;
    this.clock = clock;
  }

  /** The sender listens to this dispatcher, so it is built after it and handed in here. */
  public synchronized void sendWith(NotificationSender sender) {
    this.sender = sender;
  }

  /** Queues every notification the TenantConfig's receivers are owed and may now be sent. */
  public void dispatch(TenantAlerting alerting) {
    List<AlertBook.Due> due = book.due(alerting.key(), alerting.severities());
    if (due.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (sender == null) {
        return;
      }
      for (AlertBook.Due owed : due) {
        String id = queueId(alerting.key(), owed.receiver(), owed.alert().name(), owed.sequence());
        if (queued.contains(id)) {
          continue;
        }
        ReceiverTarget target = target(alerting, owed.receiver());
        if (target == null) {
          continue;
        }
        Notification notification =
            NotificationComposer.compose(
                new AlertKey(
                    alerting.key().namespace(), alerting.key().name(), owed.alert().name()),
                alerting.tenant(),
                owed.alert(),
                owed.sequence(),
                owed.state(),
                alerting.objectives(),
                alerting.links());
        queued.add(id);
        sender.send(target, notification);
      }
    }
  }

  /**
   * The receiver's target: as last resolved while its spec is the same and the last look found it
   * usable, else read again (at most every {@link #RESOLVE_AGAIN} while it is not usable).
   */
  private ReceiverTarget target(TenantAlerting alerting, String name) {
    AlertReceiverSpec spec = alerting.receivers().get(name);
    if (spec == null) {
      return null;
    }
    Receiver receiver = new Receiver(alerting.key(), name);
    Resolution last = resolutions.get(receiver);
    Instant now = clock.instant();
    boolean fresh =
        last != null
            && sameSpec(last.spec(), spec)
            && (last.resolved().target() != null || now.isBefore(last.at().plus(RESOLVE_AGAIN)));
    if (!fresh) {
      ReceiverResolver.Resolved resolved =
          resolver.resolve(alerting.key().namespace(), alerting.key().name(), spec);
      resolutions.put(receiver, new Resolution(spec, resolved, now));
      ReceiverTarget before = last == null ? null : last.resolved().target();
      if (before != null && !Objects.equals(before, resolved.target())) {
        if (resolved.target() != null && before.type() == resolved.target().type()) {
          sender.update(resolved.target());
        } else {
          sender.forget(before);
          queued.removeIf(id -> id.startsWith(queuePrefix(alerting.key(), name)));
        }
      }
      if (resolved.problem() != null
          && (last == null || !resolved.problem().equals(last.resolved().problem()))) {
        LOG.atWarn()
            .addKeyValue("tenantConfig", alerting.key().namespace() + "/" + alerting.key().name())
            .addKeyValue("receiver", name)
            .addKeyValue("problem", resolved.problem())
            .log("receiver cannot be used; its notifications wait");
        wake.accept(alerting.key());
      }
      return resolved.target();
    }
    return last.resolved().target();
  }

  private static boolean sameSpec(AlertReceiverSpec a, AlertReceiverSpec b) {
    return Objects.equals(refText(a), refText(b));
  }

  private static String refText(AlertReceiverSpec spec) {
    var ref =
        spec.getSlack() != null
            ? spec.getSlack()
            : spec.getPagerduty() != null ? spec.getPagerduty() : spec.getWebhook();
    String kind = spec.getSlack() != null ? "slack" : spec.getPagerduty() != null ? "pd" : "hook";
    return ref == null ? kind : kind + "/" + ref.getName() + "/" + ref.getKey();
  }

  /**
   * Looks at receivers whose last notification was refused or could not be resolved again, so a
   * fixed or rotated Secret is used without waiting for the next incident.
   */
  public void refresh(TenantAlerting alerting) {
    synchronized (this) {
      if (sender == null) {
        return;
      }
      for (String name : alerting.receivers().keySet()) {
        Resolution last = resolutions.get(new Receiver(alerting.key(), name));
        if (last != null
            && last.resolved().target() != null
            && sender.snapshot(last.resolved().target()).failing()
            && !clock.instant().isBefore(last.at().plus(RESOLVE_AGAIN))) {
          resolutions.remove(new Receiver(alerting.key(), name));
          target(alerting, name);
        }
      }
    }
    dispatch(alerting);
  }

  @Override
  public void onOutcome(ReceiverTarget target, Notification notification, DeliveryOutcome outcome) {
    ResourceKey key =
        ResourceKey.tenant(notification.key().namespace(), notification.key().tenantConfig());
    String id = queueId(key, target.name(), notification.key().alert(), notification.sequence());
    boolean recorded = false;
    synchronized (this) {
      if (outcome.state() == DeliveryState.DELIVERED || outcome.state() == DeliveryState.DROPPED) {
        queued.remove(id);
      }
    }
    if (outcome.state() == DeliveryState.DELIVERED) {
      recorded =
          book.delivered(key, notification.key().alert(), target.name(), notification.sequence());
    }
    if (recorded || outcome.attempts() == 1 || outcome.state() == DeliveryState.DROPPED) {
      // A delivery to record, or a receiver's state to show (it just started failing, or a
      // notification must be queued again).
      wake.accept(key);
    }
  }

  /** What the TenantConfig's status says of each of its receivers. */
  public List<ReceiverStatus> statuses(TenantAlerting alerting) {
    List<ReceiverStatus> statuses = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, AlertReceiverSpec> entry : alerting.receivers().entrySet()) {
        ReceiverStatus status = new ReceiverStatus();
        status.setName(entry.getKey());
        AlertReceiverSpec spec = entry.getValue();
        status.setType(
            spec.getSlack() != null
                ? ReceiverType.SLACK.label()
                : spec.getPagerduty() != null
                    ? ReceiverType.PAGERDUTY.label()
                    : ReceiverType.WEBHOOK.label());
        if (sender != null) {
          // Resolved once per spec (and again while unusable), so a wrong Secret shows before the
          // first page needs it.
          target(alerting, entry.getKey());
        }
        Resolution last = resolutions.get(new Receiver(alerting.key(), entry.getKey()));
        if (last != null && last.resolved().problem() != null) {
          status.setState("Invalid");
          status.setMessage(last.resolved().problem());
        } else if (last != null && sender != null) {
          ReceiverHealth health = sender.snapshot(last.resolved().target());
          if (health.failing()) {
            status.setState("Failing");
            status.setSince(health.failingSince().toString());
            status.setAttempts(health.failedAttempts());
            status.setMessage("notifications are refused or fail: " + health.lastProblem());
          } else {
            status.setState(health.pending() > 0 ? "Pending" : "Ready");
          }
          status.setPending(health.pending() > 0 ? health.pending() : null);
        } else {
          status.setState("Ready");
        }
        statuses.add(status);
      }
    }
    return statuses;
  }

  /** Forgets the receivers of TenantConfigs not among {@code keys}, and removed receivers. */
  public synchronized void retainOnly(Map<ResourceKey, Set<String>> receivers) {
    List<Receiver> gone =
        resolutions.keySet().stream()
            .filter(r -> !receivers.getOrDefault(r.key(), Set.of()).contains(r.name()))
            .toList();
    for (Receiver receiver : gone) {
      Resolution last = resolutions.remove(receiver);
      if (last.resolved().target() != null && sender != null) {
        sender.forget(last.resolved().target());
      }
      queued.removeIf(id -> id.startsWith(queuePrefix(receiver.key(), receiver.name())));
    }
  }

  private static String queuePrefix(ResourceKey key, String receiver) {
    return key.namespace() + "/" + key.name() + "/" + receiver + "/";
  }

  private static String queueId(ResourceKey key, String receiver, String alert, long sequence) {
    return queuePrefix(key, receiver) + alert + "/" + sequence;
  }
}
