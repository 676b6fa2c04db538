package dev.clawrate.operator.tenancy;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The claims ConfigMap's {@code data}: one key per claim, {@code tenant.<id>} or {@code
 * model.<name>}, whose value is the owning namespace. Plain keys, so the platform admin reads and
 * edits them with kubectl. Pure.
 */
public final class ClaimsCodec {

  public static final String TENANT_PREFIX = "tenant.";
  public static final String MODEL_PREFIX = "model.";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * What a read found.
   *
   * @param malformed entries that were ignored (bad key or namespace)
   */
  public record Read(Claims claims, int malformed) {}

  private ClaimsCodec() {}

  public static Read read(Map<String, String> data) {
    Map<String, String> tenants = new TreeMap<>();
    Map<String, String> models = new TreeMap<>();
    int malformed = 0;
    if (data != null) {
      for (Map.Entry<String, String> entry : data.entrySet()) {
        String key = entry.getKey();
        String namespace = entry.getValue() == null ? "" : entry.getValue().trim();
        Map<String, String> target = null;
        String name = null;
        if (key.startsWith(TENANT_PREFIX)) {
          target = tenants;
          name = key.substring(TENANT_PREFIX.length());
        } else if (key.startsWith(MODEL_PREFIX)) {
          target = models;
          name = key.substring(MODEL_PREFIX.length());
        }
        if (target == null
            || !NAME.matcher(name).matches()
            || !NAMESPACE.matcher(namespace).matches()) {
          malformed++;
          continue;
        }
        target.put(name, namespace);
      }
    }
    return new Read(new Claims(tenants, models), malformed);
  }

  public static Map<String, String> write(Claims claims) {
    Map<String, String> data = new TreeMap<>();
    claims.tenants().forEach((id, ns) -> data.put(TENANT_PREFIX + id, ns));
    claims.models().forEach((name, ns) -> data.put(MODEL_PREFIX + name, ns));
    return data;
  }
}
