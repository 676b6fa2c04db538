package dev.clawrate.operator.egress;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A block of IPv4 or IPv6 addresses, written {@code 10.96.0.0/12} or {@code fd00:10:96::/112}.
 *
 * <p>{@link #parse} is strict, because a block that reads differently from what its writer meant
 * opens or closes the wrong addresses: the address must be a plain IP address (no host name, no
 * zone, no leading zeros in IPv4), the prefix length is required, and the bits past it must be zero
 * ({@code 10.0.0.1/8} is refused rather than read as {@code 10.0.0.0/8}). An IPv4-mapped IPv6 block
 * ({@code ::ffff:10.0.0.0/104}) is the IPv4 block it maps, since addresses are compared as IPv4
 * once unmapped.
 *
 * @param network the block's first address, its bits past the prefix zero
 * @param prefixLength how many leading bits the block's addresses share: 0 to 32, or to 128
 */
public record Cidr(InetAddress network, int prefixLength) {

  private static final String HOST_BITS =
      "the address has bits set past the prefix length; write the block's first address";

  public Cidr {
    Objects.requireNonNull(network, "network");
    byte[] bytes = network.getAddress();
    if (prefixLength < 0 || prefixLength > bytes.length * 8) {
      throw new IllegalArgumentException(
          "the prefix length must be between 0 and " + bytes.length * 8);
    }
    if (!hostBitsZero(bytes, prefixLength)) {
      throw new IllegalArgumentException(HOST_BITS);
    }
  }

  /**
   * Reads {@code address/prefix}.
   *
   * @throws IllegalArgumentException saying what is wrong, without quoting the text
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a CIDR block is missing");
    }
    int slash = text.indexOf('/');
    if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "a CIDR block is an IP address, '/' and a prefix length, e.g. 10.0.0.0/8");
    }
    byte[] bytes = IpLiteral.parse(text.substring(0, slash));
    if (bytes == null) {
      throw new IllegalArgumentException(
          "the part before '/' is not an IPv4 or IPv6 address (no host names, zones or leading"
              + " zeros)");
    }
    int prefix = prefixLength(text.substring(slash + 1));
    if (Addresses.isIpv4Mapped(bytes)) {
      // Below /96 the block would reach past the mapped range: its ::ffff bits are host bits.
      if (prefix < 96) {
        throw new IllegalArgumentException(HOST_BITS);
      }
      bytes = Addresses.lastFour(bytes);
      prefix -= 96;
    }
    return new Cidr(Addresses.of(bytes), prefix);
  }

  /** Whether the address is in this block; an IPv4-mapped IPv6 address counts as its IPv4 one. */
  public boolean contains(InetAddress address) {
    byte[] candidate = Addresses.unmapped(address).getAddress();
    byte[] block = network.getAddress();
    if (candidate.length != block.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != block[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (candidate[full] & mask) == (block[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private static int prefixLength(String text) {
    boolean digits = !text.isEmpty() && text.length() <= 3 && text.chars().allMatch(Cidr::isDigit);
    if (!digits || (text.length() > 1 && text.charAt(0) == '0')) {
      throw new IllegalArgumentException("the prefix length after '/' is not a decimal number");
    }
    return Integer.parseInt(text);
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean hostBitsZero(byte[] bytes, int prefixLength) {
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }
}
