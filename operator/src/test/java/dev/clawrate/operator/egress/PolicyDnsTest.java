package dev.clawrate.operator.egress;

import static dev.clawrate.operator.egress.EgressPolicyTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;

class PolicyDnsTest {

  /** A host name that is a secret, as a webhook's may be; it must appear in no message. */
  private static final String SECRET_HOST = "t0ps3cret-hook.example.com";

  /** Answers from a table and records what it was asked. */
  private static final class TableDns implements Dns {
    final Map<String, List<InetAddress>> table;
    final List<String> asked = new ArrayList<>();

    TableDns(Map<String, List<InetAddress>> table) {
      this.table = table;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      asked.add(hostname);
      List<InetAddress> answer = table.get(hostname);
      if (answer == null) {
        throw new UnknownHostException(hostname + ": Name or service not known");
      }
      return answer;
    }
  }

  @Test
  void returnsOnlyTheAllowedAddresses() throws Exception {
    TableDns table =
        new TableDns(
            Map.of(
                SECRET_HOST,
                List.of(
                    address("169.254.169.254"), address("93.184.216.34"), address("10.0.0.7"))));

    assertEquals(
        List.of(address("93.184.216.34")),
        new PolicyDns(EgressPolicy.defaults(), table).lookup(SECRET_HOST));
  }

  @Test
  void refusesWhenNoAddressIsAllowedWithoutNamingTheHost() throws Exception {
    TableDns table =
        new TableDns(
            Map.of(
                SECRET_HOST,
                List.of(address("127.0.0.1"), address("::1")),
                "meta.example.com",
                List.of(address("169.254.169.254"))));
    PolicyDns dns = new PolicyDns(EgressPolicy.defaults(), table);

    EgressRefusedException e =
        assertThrows(EgressRefusedException.class, () -> dns.lookup(SECRET_HOST));
    assertEquals("refused by the operator's egress policy: a loopback address", e.getMessage());
    assertEquals(EgressRefusal.LOOPBACK, e.refusal());
    assertEquals(
        EgressRefusal.LINK_LOCAL,
        assertThrows(EgressRefusedException.class, () -> dns.lookup("meta.example.com")).refusal());
  }

  @Test
  void anInternalNameIsRefusedWithoutALookupWhenNothingIsAllowed() {
    TableDns table = new TableDns(Map.of());
    PolicyDns dns = new PolicyDns(EgressPolicy.defaults(), table);

    for (String host : List.of("localhost", "kubernetes", "api.ns.svc", "x.svc.cluster.local")) {
      EgressRefusedException e = assertThrows(EgressRefusedException.class, () -> dns.lookup(host));
      assertEquals(
          "refused by the operator's egress policy: a cluster-internal host name", e.getMessage());
    }
    assertEquals(List.of(), table.asked, "the cluster's DNS never heard the names");
  }

  @Test
  void anInternalNameResolvingIntoTheAllowListIsAllowed() throws Exception {
    TableDns table =
        new TableDns(
            Map.of(
                "localhost",
                List.of(address("127.0.0.1"), address("::1")),
                "models.ns.svc",
                List.of(address("10.96.4.2"))));
    PolicyDns dns = new PolicyDns(EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK), table);

    assertEquals(List.of(address("127.0.0.1"), address("::1")), dns.lookup("localhost"));
    assertEquals(
        EgressRefusal.PRIVATE,
        assertThrows(EgressRefusedException.class, () -> dns.lookup("models.ns.svc")).refusal());
  }

  @Test
  void aFailedLookupDoesNotNameTheHostEither() {
    PolicyDns dns = new PolicyDns(EgressPolicy.defaults(), new TableDns(Map.of()));

    UnknownHostException e =
        assertThrows(UnknownHostException.class, () -> dns.lookup(SECRET_HOST));
    assertFalse(e instanceof EgressRefusedException);
    assertFalse(e.getMessage().contains("t0ps3cret"), e.getMessage());

    PolicyDns empty =
        new PolicyDns(EgressPolicy.defaults(), new TableDns(Map.of(SECRET_HOST, List.of())));
    UnknownHostException none =
        assertThrows(UnknownHostException.class, () -> empty.lookup(SECRET_HOST));
    assertFalse(none.getMessage().contains("t0ps3cret"), none.getMessage());
  }
}
