package dev.clawrate.operator.api;

import java.util.function.IntPredicate;

/**
 * Checks of the names the operator puts into API paths. The API server enforces them for the
 * objects it stores, and the CRD patterns for fields that name other objects, but only when it
 * validates (fabric8's mock server does not), and fabric8 puts a name into the URL as it is: a name
 * holding {@code /} or {@code ..} would address another object, even in another namespace. So the
 * operator checks every such name itself before using it.
 *
 * <p>Each check returns what is wrong, phrased to follow the field's name, or null when the name is
 * fine. It never quotes the name: it is user input, and may hold anything.
 */
public final class KubeNames {

  public static final int MAX_DNS_SUBDOMAIN = 253;
  public static final int MAX_DNS_LABEL = 63;
  public static final int MAX_CONFIG_MAP_KEY = 253;

  private KubeNames() {}

  /** A DNS subdomain (RFC 1123), as object names are: {@code clawrate-model.v2}. */
  public static String whyNotDnsSubdomain(String name) {
    String why =
        whyNot(name, MAX_DNS_SUBDOMAIN, "lowercase letters, digits, '-' and '.'", c -> c == '.');
    if (why != null) {
      return why;
    }
    for (String label : name.split("\\.", -1)) {
      if (!alphanumericEnds(label)) {
        return "must start and end with a lowercase letter or digit, and so must each part"
            + " between dots";
      }
    }
    return null;
  }

  /** A DNS label (RFC 1123), as namespace names are: {@code team-a}. */
  public static String whyNotDnsLabel(String name) {
    String why = whyNot(name, MAX_DNS_LABEL, "lowercase letters, digits and '-'", c -> false);
    if (why != null) {
      return why;
    }
    return alphanumericEnds(name) ? null : "must start and end with a lowercase letter or digit";
  }

  /**
   * A namespaced object's namespace and name, as the API server requires them and as they appear in
   * the object's own API path (a write of its status, an event about it).
   */
  public static String whyNotObjectPath(String namespace, String name) {
    String why = whyNotDnsLabel(namespace);
    if (why != null) {
      return "metadata.namespace " + why;
    }
    why = whyNotDnsSubdomain(name);
    return why == null ? null : "metadata.name " + why;
  }

  /** A key of a ConfigMap's data or binaryData: {@code scorecard.wasm}. */
  public static String whyNotConfigMapKey(String key) {
    if (key == null) {
      return "is missing";
    }
    if (key.isEmpty()) {
      return "is empty";
    }
    if (key.length() > MAX_CONFIG_MAP_KEY) {
      return "is longer than " + MAX_CONFIG_MAP_KEY + " characters";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(isLowerAlphanumeric(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.')) {
        return "may contain only letters, digits, '-', '_' and '.'";
      }
    }
    if (key.equals(".") || key.startsWith("..")) {
      return "must not be '.' or start with '..'";
    }
    return null;
  }

  private static String whyNot(
      String name, int maxLength, String allowed, IntPredicate alsoAllowed) {
    if (name == null) {
      return "is missing";
    }
    if (name.isEmpty()) {
      return "is empty";
    }
    if (name.length() > maxLength) {
      return "is longer than " + maxLength + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(isLowerAlphanumeric(c) || c == '-' || alsoAllowed.test(c))) {
        return "may contain only " + allowed;
      }
    }
    return null;
  }

  private static boolean alphanumericEnds(String part) {
    return !part.isEmpty()
        && isLowerAlphanumeric(part.charAt(0))
        && isLowerAlphanumeric(part.charAt(part.length() - 1));
  }

  private static boolean isLowerAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
