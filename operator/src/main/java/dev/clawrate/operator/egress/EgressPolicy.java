package dev.clawrate.operator.egress;

import dev.clawrate.operator.api.KubeNames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses the operator may connect to on a tenant's behalf (a RatingModel's module URL, an
 * alert receiver's webhook), so that no tenant can use it to reach what only the cluster can:
 * loopback, the node's and the cloud's link-local metadata service, private and unique-local
 * networks, shared (CGNAT) space, multicast, broadcast and reserved space, the same addresses
 * written in IPv6 (IPv4-mapped, IPv4-compatible, SIIT, NAT64, 6to4, Teredo), and the blocks the
 * operator names as cluster-internal (its pod and service CIDRs). Host names that only the
 * cluster's DNS answers ({@code *.svc}, {@code *.<cluster domain>}, {@code *.local}, {@code
 * localhost}, single labels) are refused before they are resolved. Pure.
 *
 * <p>The allow-list opens blocks the built-in refusals close, for a model registry on a private
 * network or for loopback in tests and local runs; an internal host name is then allowed when it
 * resolves into the allow-list. The deny-list wins over the allow-list, so "this private network
 * but not the service CIDR inside it" can be said.
 *
 * @param allow blocks allowed despite the built-in refusals
 * @param deny blocks refused whatever else is said (the cluster's pod and service CIDRs)
 * @param clusterDomain the cluster's DNS domain, e.g. {@code cluster.local}
 */
public record EgressPolicy(List<Cidr> allow, List<Cidr> deny, String clusterDomain) {

  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

  /** The allow-list of local runs and tests, whose servers listen on loopback. */
  public static final List<Cidr> LOOPBACK =
      List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

  private record Block(Cidr cidr, EgressRefusal refusal) {}

  private static final List<Block> REFUSED =
      List.of(
          block("0.0.0.0/8", EgressRefusal.UNSPECIFIED),
          block("10.0.0.0/8", EgressRefusal.PRIVATE),
          block("100.64.0.0/10", EgressRefusal.SHARED),
          block("127.0.0.0/8", EgressRefusal.LOOPBACK),
          block("169.254.0.0/16", EgressRefusal.LINK_LOCAL),
          block("172.16.0.0/12", EgressRefusal.PRIVATE),
          block("192.168.0.0/16", EgressRefusal.PRIVATE),
          block("224.0.0.0/4", EgressRefusal.MULTICAST),
          block("240.0.0.0/4", EgressRefusal.RESERVED),
          block("::/128", EgressRefusal.UNSPECIFIED),
          block("::1/128", EgressRefusal.LOOPBACK),
          // Local-use NAT64 (RFC 8215) may carry an IPv4 address anywhere: refused whole.
          block("64:ff9b:1::/48", EgressRefusal.PRIVATE),
          block("100::/64", EgressRefusal.RESERVED),
          block("fc00::/7", EgressRefusal.UNIQUE_LOCAL),
          block("fe80::/10", EgressRefusal.LINK_LOCAL),
          block("fec0::/10", EgressRefusal.PRIVATE),
          block("ff00::/8", EgressRefusal.MULTICAST));

  public EgressPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    String why = clusterDomain == null ? "is missing" : KubeNames.whyNotDnsSubdomain(clusterDomain);
    if (why != null) {
      throw new IllegalArgumentException("the cluster domain " + why);
    }
  }

  /**
   * Every built-in refusal, no allow-list or deny-list, the cluster domain {@code cluster.local}.
   */
  public static EgressPolicy defaults() {
    return new EgressPolicy(List.of(), List.of(), DEFAULT_CLUSTER_DOMAIN);
  }

  /** This policy with more blocks allowed. */
  public EgressPolicy allowing(List<Cidr> more) {
    List<Cidr> all = new ArrayList<>(allow);
    all.addAll(more);
    return new EgressPolicy(all, deny, clusterDomain);
  }

  /** Why a connection to this address is refused, or empty when it is allowed. */
  public Optional<EgressRefusal> refusalOf(InetAddress address) {
    InetAddress unmapped = Addresses.unmapped(address);
    List<InetAddress> forms = new ArrayList<>();
    forms.add(unmapped);
    forms.addAll(Addresses.embeddedIpv4(unmapped));
    if (forms.stream().anyMatch(form -> inAny(deny, form))) {
      return Optional.of(EgressRefusal.CLUSTER_INTERNAL);
    }
    if (inAny(allow, unmapped)) {
      return Optional.empty();
    }
    for (InetAddress form : forms) {
      for (Block block : REFUSED) {
        if (block.cidr().contains(form)) {
          return Optional.of(block.refusal());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Why a connection to this address, which {@code host} resolved to, is refused, or empty when it
   * is allowed: an internal host name is allowed only into the allow-list.
   */
  public Optional<EgressRefusal> refusalOf(String host, InetAddress address) {
    Optional<EgressRefusal> refusal = refusalOf(address);
    if (refusal.isPresent() || !isInternalName(host) || inAny(allow, Addresses.unmapped(address))) {
      return refusal;
    }
    return Optional.of(EgressRefusal.INTERNAL_NAME);
  }

  /**
   * Why a URL's host is refused before any lookup, or empty when it may be tried: an IP literal by
   * its address, a name when it is cluster-internal and nothing is allowed. The connection is
   * checked again when it is made, with what the name resolves to.
   */
  public Optional<EgressRefusal> refusalOfHost(String host) {
    byte[] literal =
        IpLiteral.parse(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    if (literal != null) {
      try {
        return refusalOf(InetAddress.getByAddress(literal));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("4 or 16 bytes always make an address", e);
      }
    }
    return mayResolve(host) ? Optional.empty() : Optional.of(EgressRefusal.INTERNAL_NAME);
  }

  /**
   * Whether resolving the host could give an allowed address. An internal name with nothing allowed
   * is refused without a lookup, so its name never reaches the cluster's DNS.
   */
  public boolean mayResolve(String host) {
    return !allow.isEmpty() || !isInternalName(host);
  }

  /**
   * Whether a host name is one only the cluster's (or the node's) resolver answers. A single label
   * is one: a pod's resolver completes it with its search domains ({@code kubernetes} becomes
   * {@code kubernetes.default.svc.cluster.local}). An IP address is no name: its address decides.
   */
  public boolean isInternalName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    while (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (IpLiteral.isLiteral(name)) {
      return false;
    }
    return name.indexOf('.') < 0
        || name.endsWith(".localhost")
        || name.endsWith(".svc")
        || name.endsWith(".local")
        || name.equals(clusterDomain)
        || name.endsWith("." + clusterDomain);
  }

  private static boolean inAny(List<Cidr> blocks, InetAddress address) {
    for (Cidr cidr : blocks) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static Block block(String cidr, EgressRefusal refusal) {
    return new Block(Cidr.parse(cidr), refusal);
  }
}
