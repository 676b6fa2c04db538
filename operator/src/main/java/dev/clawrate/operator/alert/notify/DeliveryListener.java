package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.alert.Notification;
import dev.clawrate.operator.alert.ReceiverTarget;

/**
 * Told the outcome of every delivery attempt. Called on the sender's only thread, in the order of
 * the attempts: it must return quickly, and whatever it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface DeliveryListener {

  DeliveryListener NONE = (target, notification, outcome) -> {};

  void onOutcome(ReceiverTarget target, Notification notification, DeliveryOutcome outcome);
}
