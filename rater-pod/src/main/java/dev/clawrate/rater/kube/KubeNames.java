package dev.clawrate.rater.kube;

import java.util.regex.Pattern;

/**
 * Which strings may name Kubernetes objects. Every name that ends up in an API path is checked here
 * first: a path built from an unchecked name can address another resource.
 */
public final class KubeNames {

  /** RFC 1123 label: what namespaces must be. */
  public static final int MAX_LABEL = 63;

  /** RFC 1123 subdomain: what pods, Leases and ConfigMaps may be named. */
  public static final int MAX_SUBDOMAIN = 253;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private KubeNames() {}

  public static boolean isDnsLabel(String name) {
    return name != null && name.length() <= MAX_LABEL && LABEL.matcher(name).matches();
  }

  public static boolean isDnsSubdomain(String name) {
    return name != null && name.length() <= MAX_SUBDOMAIN && SUBDOMAIN.matcher(name).matches();
  }
}
