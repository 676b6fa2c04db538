package dev.clawrate.operator.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the bytes of an IP address say, IPv4 addresses carried in IPv6 ones above all. Pure. */
final class Addresses {

  private static final byte[] NAT64 = {
    0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0
  };
  private static final byte[] SIIT = {0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0};
  private static final byte[] COMPATIBLE = new byte[12];
  private static final byte[] SIX_TO_FOUR = {0x20, 0x02};
  private static final byte[] TEREDO = {0x20, 0x01, 0x00, 0x00};

  private Addresses() {}

  /** The address of these 4 or 16 bytes, made without a lookup. */
  static InetAddress of(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes", e);
    }
  }

  /** {@code ::ffff:a.b.c.d}: an IPv4 address as a dual-stack socket writes it. */
  static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  static byte[] lastFour(byte[] bytes) {
    return Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length);
  }

  /**
   * The IPv4 address an IPv4-mapped IPv6 address stands for (a dual-stack socket connects to it
   * over IPv4), else the address itself.
   */
  static InetAddress unmapped(InetAddress address) {
    byte[] bytes = address.getAddress();
    return isIpv4Mapped(bytes) ? of(lastFour(bytes)) : address;
  }

  /**
   * The IPv4 addresses an IPv6 address carries, which a translator or tunnel on the way may deliver
   * to: IPv4-compatible {@code ::a.b.c.d}, SIIT {@code ::ffff:0:a.b.c.d}, NAT64 {@code
   * 64:ff9b::a.b.c.d}, 6to4 {@code 2002:AABB:CCDD::/48}, and Teredo's server and (inverted) client.
   * None for an IPv4 address.
   */
  static List<InetAddress> embeddedIpv4(InetAddress address) {
    byte[] bytes = address.getAddress();
    List<InetAddress> embedded = new ArrayList<>();
    if (bytes.length != 16) {
      return embedded;
    }
    if (startsWith(bytes, COMPATIBLE) || startsWith(bytes, SIIT) || startsWith(bytes, NAT64)) {
      embedded.add(of(lastFour(bytes)));
    } else if (startsWith(bytes, SIX_TO_FOUR)) {
      embedded.add(of(Arrays.copyOfRange(bytes, 2, 6)));
    } else if (startsWith(bytes, TEREDO)) {
      embedded.add(of(Arrays.copyOfRange(bytes, 4, 8)));
      byte[] client = lastFour(bytes);
      for (int i = 0; i < client.length; i++) {
        client[i] = (byte) ~client[i];
      }
      embedded.add(of(client));
    }
    return embedded;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
