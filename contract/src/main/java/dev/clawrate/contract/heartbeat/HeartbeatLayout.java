package dev.clawrate.contract.heartbeat;

import dev.clawrate.contract.snapshot.ClusterLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * How a rater's heartbeat is laid out as a {@code coordination.k8s.io/v1} Lease in its namespace:
 * name, labels and the annotation carrying {@link Heartbeat}. Free of any Kubernetes client type so
 * the rater, the operator and pure tests share it.
 */
public final class HeartbeatLayout {

  public static final String LEASE_PREFIX = "clawrate-rater-";
  public static final String COMPONENT_HEARTBEAT = "rater-heartbeat";
  public static final String MANAGED_BY = "clawrate-rater";
  public static final String ANNOTATION_HEARTBEAT = "clawrate.dev/heartbeat";

  /** Renewed this often unless the rater is told otherwise. */
  public static final int DEFAULT_RENEW_SECONDS = 5;

  /** A Lease not renewed for this many renew periods means the pod is gone. */
  public static final int RENEWALS_PER_DURATION = 3;

  private static final int MAX_NAME = 253;

  private HeartbeatLayout() {}

  /**
   * {@code clawrate-rater-<pod name>}; a pod name too long for that keeps its head and gains a hash
   * of the whole, so two long names never share a Lease.
   */
  public static String leaseName(String podName) {
    String name = LEASE_PREFIX + podName;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = sha256Hex(podName).substring(0, 10);
    String head = name.substring(0, MAX_NAME - hash.length() - 1);
    // A DNS subdomain may not have '-' or '.' before the hash's '-'.
    while (head.endsWith("-") || head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash;
  }

  /** Labels on every heartbeat Lease; the operator watches by the component label. */
  public static Map<String, String> labels(String track) {
    return Map.of(
        ClusterLayout.LABEL_NAME, MANAGED_BY,
        ClusterLayout.LABEL_PART_OF, ClusterLayout.PART_OF,
        ClusterLayout.LABEL_MANAGED_BY, MANAGED_BY,
        ClusterLayout.LABEL_COMPONENT, COMPONENT_HEARTBEAT,
        ClusterLayout.LABEL_TRACK, track);
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
