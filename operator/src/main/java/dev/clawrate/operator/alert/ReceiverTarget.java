package dev.clawrate.operator.alert;

import okhttp3.HttpUrl;

/**
 * Where one receiver's notifications go, its secrets resolved. Its {@link #toString()} says only
 * the name and type: the URL and routing key are secrets (a Slack webhook URL is its own
 * credential).
 *
 * @param owner the TenantConfig that names the receiver; receivers of different TenantConfigs never
 *     share a queue or a rate limit
 * @param name the receiver's name within the TenantConfig
 * @param type the kind of receiver
 * @param url where to POST: the Slack webhook, PagerDuty's Events API v2 enqueue URL, or the
 *     webhook
 * @param routingKey PagerDuty's integration (routing) key; null for the other types
 */
public record ReceiverTarget(
    String owner, String name, ReceiverType type, HttpUrl url, String routingKey) {

  @Override
  public String toString() {
    return owner + "/" + name + " (" + type.label() + ")";
  }
}
