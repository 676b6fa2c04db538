package dev.clawrate.operator.egress;

/** Why the egress policy refuses an address or a host name, in words fit for a status message. */
public enum EgressRefusal {
  UNSPECIFIED("an unspecified address"),
  LOOPBACK("a loopback address"),
  LINK_LOCAL("a link-local address"),
  PRIVATE("a private address"),
  UNIQUE_LOCAL("a unique-local address"),
  SHARED("a shared (carrier-grade NAT) address"),
  MULTICAST("a multicast address"),
  RESERVED("a reserved or broadcast address"),
  CLUSTER_INTERNAL("an address the operator lists as cluster-internal"),
  INTERNAL_NAME("a cluster-internal host name");

  private final String phrase;

  EgressRefusal(String phrase) {
    this.phrase = phrase;
  }

  /** What was refused, e.g. {@code a loopback address}. */
  public String phrase() {
    return phrase;
  }
}
