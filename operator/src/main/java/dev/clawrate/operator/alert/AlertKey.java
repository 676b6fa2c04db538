package dev.clawrate.operator.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names one alert of one TenantConfig, e.g. {@code latency-page}: the identity of an incident, the
 * same for its firing and its resolve, across operator restarts.
 *
 * @param namespace the TenantConfig's namespace (a DNS label)
 * @param tenantConfig the TenantConfig's name (a DNS subdomain)
 * @param alert the alert's name within the TenantConfig (lowercase letters, digits, '-' and '.')
 */
public record AlertKey(String namespace, String tenantConfig, String alert) {

  /**
   * A key receivers de-duplicate on (PagerDuty's {@code dedup_key}, Alertmanager's fingerprint):
   * stable for the alert, and saying nothing of it to whoever reads the receiver's logs.
   */
  public String dedupKey() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (namespace + "/" + tenantConfig + "/" + alert).getBytes(StandardCharsets.UTF_8));
      return "clawrate-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return namespace + "/" + tenantConfig + "/" + alert;
  }
}
