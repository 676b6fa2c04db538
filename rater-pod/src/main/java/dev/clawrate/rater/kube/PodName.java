package dev.clawrate.rater.kube;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** Which name a rater reports its heartbeat under when --pod-name is not given. */
public final class PodName {

  /** Set from the downward API ({@code fieldRef: metadata.name}) in the rater's pod spec. */
  public static final String POD_NAME_ENV = "POD_NAME";

  static final int SUFFIX_LENGTH = 5;
  private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String FALLBACK_HOST = "rater";

  private PodName() {}

  /**
   * The first of: the name given on the command line (already checked), the pod's own name, the
   * host name with a random suffix. The suffix keeps two raters on one machine (local runs, tests)
   * from sharing one heartbeat Lease.
   *
   * @throws IllegalArgumentException when the pod's name from the environment is not a DNS
   *     subdomain
   */
  public static String resolve(
      String explicit, String podNameEnv, String hostname, RandomGenerator random) {
    if (explicit != null) {
      return explicit;
    }
    if (podNameEnv != null && !podNameEnv.isBlank()) {
      if (!KubeNames.isDnsSubdomain(podNameEnv)) {
        throw new IllegalArgumentException(
            "$" + POD_NAME_ENV + " is not a DNS subdomain; pass --pod-name");
      }
      return podNameEnv;
    }
    return fromHost(hostname) + "-" + suffix(random);
  }

  /** The host name as a DNS label short enough to take the suffix. */
  static String fromHost(String hostname) {
    String name =
        hostname == null ? "" : hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    int room = KubeNames.MAX_SUBDOMAIN - SUFFIX_LENGTH - 1;
    if (name.length() > room) {
      name = name.substring(0, room);
    }
    name = name.replaceAll("^-+|-+$", "");
    return name.isEmpty() ? FALLBACK_HOST : name;
  }

  private static String suffix(RandomGenerator random) {
    StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      suffix.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
    }
    return suffix.toString();
  }
}
