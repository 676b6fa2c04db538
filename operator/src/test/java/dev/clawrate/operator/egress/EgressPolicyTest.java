package dev.clawrate.operator.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {

  private static final EgressPolicy DEFAULTS = EgressPolicy.defaults();

  /** One address at each edge of every refused block, with the refusal it gets. */
  private static final Map<String, EgressRefusal> REFUSED =
      Map.ofEntries(
          Map.entry("0.0.0.0", EgressRefusal.UNSPECIFIED),
          Map.entry("0.255.255.255", EgressRefusal.UNSPECIFIED),
          Map.entry("10.0.0.0", EgressRefusal.PRIVATE),
          Map.entry("10.255.255.255", EgressRefusal.PRIVATE),
          Map.entry("100.64.0.0", EgressRefusal.SHARED),
          Map.entry("100.127.255.255", EgressRefusal.SHARED),
          Map.entry("127.0.0.1", EgressRefusal.LOOPBACK),
          Map.entry("127.255.255.254", EgressRefusal.LOOPBACK),
          Map.entry("169.254.0.1", EgressRefusal.LINK_LOCAL),
          Map.entry("169.254.169.254", EgressRefusal.LINK_LOCAL),
          Map.entry("172.16.0.0", EgressRefusal.PRIVATE),
          Map.entry("172.31.255.255", EgressRefusal.PRIVATE),
          Map.entry("192.168.0.1", EgressRefusal.PRIVATE),
          Map.entry("192.168.255.255", EgressRefusal.PRIVATE),
          Map.entry("224.0.0.1", EgressRefusal.MULTICAST),
          Map.entry("239.255.255.250", EgressRefusal.MULTICAST),
          Map.entry("240.0.0.1", EgressRefusal.RESERVED),
          Map.entry("255.255.255.255", EgressRefusal.RESERVED),
          Map.entry("::", EgressRefusal.UNSPECIFIED),
          Map.entry("::1", EgressRefusal.LOOPBACK),
          Map.entry("fe80::1", EgressRefusal.LINK_LOCAL),
          Map.entry("febf:ffff::1", EgressRefusal.LINK_LOCAL),
          Map.entry("fec0::1", EgressRefusal.PRIVATE),
          Map.entry("fc00::1", EgressRefusal.UNIQUE_LOCAL),
          Map.entry("fd12:3456:789a::1", EgressRefusal.UNIQUE_LOCAL),
          Map.entry("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", EgressRefusal.UNIQUE_LOCAL),
          Map.entry("ff02::1", EgressRefusal.MULTICAST),
          Map.entry("ff0e::101", EgressRefusal.MULTICAST),
          Map.entry("64:ff9b:1::8.8.8.8", EgressRefusal.PRIVATE),
          Map.entry("100::1", EgressRefusal.RESERVED),
          // IPv4 written in IPv6.
          Map.entry("::ffff:127.0.0.1", EgressRefusal.LOOPBACK),
          Map.entry("::ffff:169.254.169.254", EgressRefusal.LINK_LOCAL),
          Map.entry("::ffff:10.1.2.3", EgressRefusal.PRIVATE),
          Map.entry("::ffff:0.0.0.0", EgressRefusal.UNSPECIFIED),
          Map.entry("::127.0.0.1", EgressRefusal.LOOPBACK),
          Map.entry("::192.168.1.1", EgressRefusal.PRIVATE),
          Map.entry("::ffff:0:169.254.169.254", EgressRefusal.LINK_LOCAL),
          Map.entry("64:ff9b::127.0.0.1", EgressRefusal.LOOPBACK),
          Map.entry("64:ff9b::a9fe:a9fe", EgressRefusal.LINK_LOCAL),
          Map.entry("64:ff9b::100.64.0.1", EgressRefusal.SHARED),
          Map.entry("2002:7f00:1::1", EgressRefusal.LOOPBACK),
          Map.entry("2002:a9fe:a9fe::", EgressRefusal.LINK_LOCAL),
          Map.entry("2002:c0a8:101::1", EgressRefusal.PRIVATE),
          // Teredo: a server in 10/8; a client 127.0.0.1, stored inverted.
          Map.entry("2001:0:a00:1::808:808", EgressRefusal.PRIVATE),
          Map.entry("2001:0:808:808::80ff:fffe", EgressRefusal.LOOPBACK));

  private static final List<String> ALLOWED =
      List.of(
          "8.8.8.8",
          "1.1.1.1",
          "9.255.255.255",
          "11.0.0.0",
          "100.63.255.255",
          "100.128.0.0",
          "126.255.255.255",
          "128.0.0.0",
          "169.253.255.255",
          "169.255.0.0",
          "172.15.255.255",
          "172.32.0.0",
          "192.167.255.255",
          "192.169.0.0",
          "223.255.255.255",
          "2606:4700:4700::1111",
          "2a00:1450:4001:80b::200e",
          "::ffff:8.8.8.8",
          "64:ff9b::808:808",
          "2002:808:808::1",
          "2001:0:808:808::f7f7:f7f7",
          "fbff:ffff::1",
          "fe00::1");

  @Test
  void refusesEveryInternalBlockInEveryForm() throws UnknownHostException {
    for (Map.Entry<String, EgressRefusal> entry : REFUSED.entrySet()) {
      assertEquals(
          Optional.of(entry.getValue()),
          DEFAULTS.refusalOf(address(entry.getKey())),
          entry.getKey());
    }
  }

  @Test
  void anIpv4MappedAddressKeptInIpv6FormIsJudgedAsItsIpv4Address() throws UnknownHostException {
    // InetAddress.getByAddress unmaps such an address itself; Inet6Address.getByAddress does not.
    InetAddress mapped = Inet6Address.getByAddress(null, IpLiteral.parse("::ffff:127.0.0.1"), -1);
    assertTrue(mapped instanceof Inet6Address);
    assertEquals(Optional.of(EgressRefusal.LOOPBACK), DEFAULTS.refusalOf(mapped));
    InetAddress metadata =
        Inet6Address.getByAddress(null, IpLiteral.parse("::ffff:169.254.169.254"), -1);
    assertEquals(Optional.of(EgressRefusal.LINK_LOCAL), DEFAULTS.refusalOf(metadata));
  }

  @Test
  void allowsPublicAddressesInEveryForm() throws UnknownHostException {
    for (String literal : ALLOWED) {
      assertEquals(Optional.empty(), DEFAULTS.refusalOf(address(literal)), literal);
    }
  }

  @Test
  void theAllowListOpensBlocksTheBuiltInRefusalsClose() throws UnknownHostException {
    EgressPolicy loopback = DEFAULTS.allowing(EgressPolicy.LOOPBACK);
    for (String literal : List.of("127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1")) {
      assertEquals(Optional.empty(), loopback.refusalOf(address(literal)), literal);
    }
    assertEquals(
        Optional.of(EgressRefusal.LINK_LOCAL), loopback.refusalOf(address("169.254.169.254")));
    assertEquals(Optional.of(EgressRefusal.PRIVATE), loopback.refusalOf(address("10.0.0.1")));

    EgressPolicy registry = DEFAULTS.allowing(List.of(Cidr.parse("10.20.0.0/16")));
    assertEquals(Optional.empty(), registry.refusalOf(address("10.20.3.4")));
    assertEquals(Optional.of(EgressRefusal.PRIVATE), registry.refusalOf(address("10.21.0.1")));
  }

  @Test
  void theDenyListRefusesWhatIsOtherwiseAllowedAndWinsOverTheAllowList()
      throws UnknownHostException {
    EgressPolicy policy =
        new EgressPolicy(
            List.of(Cidr.parse("10.0.0.0/8")),
            List.of(Cidr.parse("10.96.0.0/12"), Cidr.parse("203.0.113.0/24")),
            "cluster.local");
    assertEquals(Optional.empty(), policy.refusalOf(address("10.1.2.3")));
    assertEquals(
        Optional.of(EgressRefusal.CLUSTER_INTERNAL), policy.refusalOf(address("10.96.0.1")));
    assertEquals(
        Optional.of(EgressRefusal.CLUSTER_INTERNAL), policy.refusalOf(address("203.0.113.9")));
    assertEquals(
        Optional.of(EgressRefusal.CLUSTER_INTERNAL),
        policy.refusalOf(address("::ffff:203.0.113.9")));
    assertEquals(
        Optional.of(EgressRefusal.CLUSTER_INTERNAL),
        policy.refusalOf(address("64:ff9b::203.0.113.9")),
        "an address carried in IPv6 is denied too");
    assertEquals(Optional.empty(), policy.refusalOf(address("203.0.114.1")));

    EgressPolicy sixDeny =
        new EgressPolicy(List.of(), List.of(Cidr.parse("2001:db8:42::/48")), "cluster.local");
    assertEquals(
        Optional.of(EgressRefusal.CLUSTER_INTERNAL), sixDeny.refusalOf(address("2001:db8:42::1")));
    assertEquals(Optional.empty(), sixDeny.refusalOf(address("2001:db8:43::1")));
  }

  @Test
  void internalHostNames() {
    for (String host :
        List.of(
            "localhost",
            "LOCALHOST",
            "localhost.",
            "db.localhost",
            "kubernetes",
            "metadata",
            "kubernetes.default.svc",
            "kubernetes.default.svc.",
            "api.team-b.svc",
            "api.team-b.svc.cluster.local",
            "API.Team-B.SVC.Cluster.Local.",
            "cluster.local",
            "printer.local",
            "")) {
      assertTrue(DEFAULTS.isInternalName(host), host);
    }
    for (String host :
        List.of(
            "models.example.com",
            "hooks.slack.com",
            "example.com.",
            "svc.example.com",
            "local.example.com",
            "notcluster.local.example",
            "127.0.0.1",
            "::1",
            "10.0.0.1")) {
      assertFalse(DEFAULTS.isInternalName(host), host);
    }
    EgressPolicy custom = new EgressPolicy(List.of(), List.of(), "corp.internal");
    assertTrue(custom.isInternalName("api.ns.svc.corp.internal"));
    assertTrue(custom.isInternalName("corp.internal"));
    assertFalse(custom.isInternalName("corp.internal.example.com"));
  }

  @Test
  void anInternalNameIsAllowedOnlyIntoTheAllowList() throws UnknownHostException {
    assertFalse(DEFAULTS.mayResolve("localhost"), "nothing allowed: not even resolved");
    assertFalse(DEFAULTS.mayResolve("api.ns.svc.cluster.local"));
    assertTrue(DEFAULTS.mayResolve("models.example.com"));
    assertEquals(
        Optional.of(EgressRefusal.INTERNAL_NAME),
        DEFAULTS.refusalOf("printer.local", address("8.8.8.8")),
        "a public address does not make an internal name public");

    EgressPolicy loopback = DEFAULTS.allowing(EgressPolicy.LOOPBACK);
    assertTrue(loopback.mayResolve("localhost"));
    assertEquals(Optional.empty(), loopback.refusalOf("localhost", address("127.0.0.1")));
    assertEquals(Optional.empty(), loopback.refusalOf("localhost", address("::1")));
    assertEquals(
        Optional.of(EgressRefusal.INTERNAL_NAME),
        loopback.refusalOf("printer.local", address("8.8.8.8")));
    assertEquals(
        Optional.of(EgressRefusal.PRIVATE),
        loopback.refusalOf("api.svc", address("10.96.0.1")),
        "an address's own refusal is said first");
    assertEquals(Optional.empty(), loopback.refusalOf("models.example.com", address("8.8.8.8")));
    assertEquals(
        Optional.of(EgressRefusal.LOOPBACK),
        DEFAULTS.refusalOf("models.example.com", address("127.0.0.1")),
        "a public name resolving to loopback");
  }

  @Test
  void aClusterDomainMustBeADomain() {
    assertThrows(
        IllegalArgumentException.class, () -> new EgressPolicy(List.of(), List.of(), "Bad_Domain"));
    assertThrows(
        IllegalArgumentException.class, () -> new EgressPolicy(List.of(), List.of(), null));
  }

  @Test
  void everyRefusalSaysWhatWasRefusedInItsOwnWords() {
    for (EgressRefusal refusal : EgressRefusal.values()) {
      String message = new EgressRefusedException(refusal).getMessage();
      assertTrue(message.startsWith("refused by the operator's egress policy: a"), message);
    }
    assertEquals(
        "refused by the operator's egress policy: a loopback address",
        new EgressRefusedException(EgressRefusal.LOOPBACK).getMessage());
  }

  static InetAddress address(String literal) throws UnknownHostException {
    byte[] bytes = IpLiteral.parse(literal);
    assertTrue(bytes != null, literal);
    return InetAddress.getByAddress(bytes);
  }
}
