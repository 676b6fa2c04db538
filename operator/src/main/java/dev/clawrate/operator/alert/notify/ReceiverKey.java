package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.alert.ReceiverTarget;
import dev.clawrate.operator.alert.ReceiverType;

/**
 * Names one receiver of one TenantConfig: the identity of its queue and of its health. Its address
 * (URL and routing key) is deliberately not part of it: see {@link NotificationSender} on what a
 * changed Secret does.
 */
public record ReceiverKey(String owner, String name, ReceiverType type) {

  public static ReceiverKey of(ReceiverTarget target) {
    return new ReceiverKey(target.owner(), target.name(), target.type());
  }

  @Override
  public String toString() {
    return owner + "/" + name + " (" + type.label() + ")";
  }
}
