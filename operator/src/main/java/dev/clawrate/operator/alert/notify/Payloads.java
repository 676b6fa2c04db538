package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.ReceiverTarget;
import dev.clawrate.operator.alert.ReceiverType;

/** Which body goes to which kind of receiver, and whether a notification can be sent at all. */
final class Payloads {

  private Payloads() {}

  static String render(ReceiverTarget target, Notification n) {
    return switch (target.type()) {
      case SLACK -> SlackMessage.render(n);
      case PAGERDUTY -> PagerDutyEvent.render(n, target.routingKey());
      case WEBHOOK -> AlertmanagerWebhook.render(n, target.name());
    };
  }

  /**
   * Fails, naming the field and never its value, when the target or notification lacks what every
   * attempt would need: a caller's mistake is reported to the caller at once rather than blocking
   * the receiver's queue.
   */
  static void check(ReceiverTarget target, Notification n) {
    checkTarget(target);
    checkNotification(n);
  }

  static void checkTarget(ReceiverTarget target) {
    require(target != null, "target is required");
    require(!Texts.isBlank(target.owner()), "target.owner is required");
    require(!Texts.isBlank(target.name()), "target.name is required");
    require(target.type() != null, "target.type is required");
    require(target.url() != null, "target.url is required");
    require(
        target.type() != ReceiverType.PAGERDUTY || !Texts.isBlank(target.routingKey()),
        "target.routingKey is required for a PagerDuty receiver");
  }

  private static void checkNotification(Notification n) {
    require(n != null, "notification is required");
    require(n.key() != null, "notification.key is required");
    require(!Texts.isBlank(n.tenant()), "notification.tenant is required");
    require(n.kind() != null, "notification.kind is required");
    require(n.severity() != null, "notification.severity is required");
    require(n.state() != null, "notification.state is required");
    require(n.startsAt() != null, "notification.startsAt is required");
    require(n.summary() != null, "notification.summary is required");
    require(n.description() != null, "notification.description is required");
    require(
        n.state() != AlertState.RESOLVED || n.endsAt() != null,
        "notification.endsAt is required when resolved");
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }
}
