package dev.clawrate.operator.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void readsIpv4AndIpv6Blocks() {
    assertEquals("10.0.0.0/8", Cidr.parse("10.0.0.0/8").toString());
    assertEquals("0.0.0.0/0", Cidr.parse("0.0.0.0/0").toString());
    assertEquals("192.168.1.7/32", Cidr.parse("192.168.1.7/32").toString());
    assertEquals("fd00:10:96:0:0:0:0:0/112", Cidr.parse("fd00:10:96::/112").toString());
    assertEquals("0:0:0:0:0:0:0:1/128", Cidr.parse("::1/128").toString());
    assertEquals("0:0:0:0:0:0:0:0/0", Cidr.parse("::/0").toString());
    assertEquals(Cidr.parse("fe80::/10"), Cidr.parse("FE80:0:0::/10"));
  }

  @Test
  void anIpv4MappedBlockIsItsIpv4Block() {
    assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("::ffff:10.0.0.0/104"));
    assertEquals(Cidr.parse("0.0.0.0/0"), Cidr.parse("::ffff:0:0/96"));
    assertEquals(Cidr.parse("127.0.0.1/32"), Cidr.parse("::ffff:7f00:1/128"));
  }

  @Test
  void containsByPrefix() throws UnknownHostException {
    Cidr block = Cidr.parse("172.16.0.0/12");
    assertTrue(block.contains(address("172.16.0.0")));
    assertTrue(block.contains(address("172.31.255.255")));
    assertFalse(block.contains(address("172.32.0.0")));
    assertFalse(block.contains(address("172.15.255.255")));
    assertTrue(block.contains(address("::ffff:172.20.1.1")), "an IPv4-mapped address is IPv4");
    assertFalse(block.contains(address("2001:db8::1")), "another family");
    assertTrue(Cidr.parse("0.0.0.0/0").contains(address("8.8.8.8")));
    assertFalse(Cidr.parse("0.0.0.0/0").contains(address("2001:db8::1")));
    Cidr six = Cidr.parse("fe80::/10");
    assertTrue(six.contains(address("febf:ffff::1")));
    assertFalse(six.contains(address("fec0::1")));
    assertTrue(Cidr.parse("::1/128").contains(address("::1")));
    assertFalse(Cidr.parse("::1/128").contains(address("::2")));
  }

  @Test
  void refusesWhatIsNotExactlyABlock() {
    for (String text :
        List.of(
            "",
            "10.0.0.0",
            "/8",
            "10.0.0.0/",
            "10.0.0.0/8/8",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0.0/08",
            "10.0.0.0/ 8",
            " 10.0.0.0/8",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "010.0.0.0/8",
            "10.0.0.256/32",
            "1e1.0.0.0/8",
            "0x7f.0.0.1/32",
            "localhost/32",
            "example.com/24",
            "fe80::1%eth0/128",
            "[::1]/128",
            "1::2::3/64",
            "1:2:3:4:5:6:7:8:9/128",
            "1:2:3:4:5:6:7/128",
            "12345::/16",
            "g::/16",
            "::\u0663/128",
            "1.2.3.4::/128")) {
      assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text), text);
    }
  }

  @Test
  void refusesBitsPastThePrefixRatherThanGuessing() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1/8"));
    assertTrue(e.getMessage().contains("past the prefix"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd00::1/8"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:10.0.0.0/80"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("172.17.0.0/12"));
  }

  @Test
  void aMessageNeverQuotesTheText() {
    for (String text : List.of("s3cret.example.com/24", "s3cret", "10.0.0.0/s3cret")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
      assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }
  }

  @Test
  void theIpv6TextFormsAllRead() {
    assertEquals(
        Cidr.parse("1:2:3:4:5:6:7:8/128"),
        Cidr.parse("0001:0002:0003:0004:0005:0006:0007:0008/128"));
    assertEquals(Cidr.parse("1:0:0:0:0:0:0:0/128"), Cidr.parse("1::/128"));
    assertEquals(Cidr.parse("0:0:0:0:0:0:0:1/128"), Cidr.parse("::0.0.0.1/128"));
    assertEquals(Cidr.parse("64:ff9b::a00:1/128"), Cidr.parse("64:ff9b::10.0.0.1/128"));
    assertEquals(Cidr.parse("1:2:3:4:5:6:7:0/128"), Cidr.parse("1:2:3:4:5:6:7::/128"));
  }

  private static InetAddress address(String literal) throws UnknownHostException {
    return InetAddress.getByAddress(IpLiteral.parse(literal));
  }
}
