package dev.clawrate.operator.egress;

import java.util.Arrays;

/**
 * IP addresses written as text, read strictly and without any name lookup: {@code
 * InetAddress.getByName} falls back to DNS for text it cannot read as an address, and reads forms
 * no configuration should hold (octal-looking {@code 010.0.0.1}, scoped {@code fe80::1%eth0}).
 * Pure.
 */
final class IpLiteral {

  private IpLiteral() {}

  /**
   * The 4 or 16 bytes of a dotted-quad IPv4 address (decimal, no leading zeros) or an IPv6 address
   * (RFC 4291 text, with {@code ::} and a dotted-quad tail allowed; no brackets, no zone), or null
   * when the text is neither.
   */
  static byte[] parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
  }

  /** Whether the text is an IP address rather than a host name. */
  static boolean isLiteral(String text) {
    return parse(text) != null;
  }

  private static byte[] ipv4(String text) {
    byte[] bytes = new byte[4];
    int part = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i < text.length() && text.charAt(i) != '.') {
        continue;
      }
      if (part == 4) {
        return null;
      }
      Integer value = decimalOctet(text, start, i);
      if (value == null) {
        return null;
      }
      bytes[part++] = (byte) (int) value;
      start = i + 1;
    }
    return part == 4 ? bytes : null;
  }

  /** 0 to 255 in 1 to 3 digits, without a leading zero; null otherwise. */
  private static Integer decimalOctet(String text, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 3 || (length > 1 && text.charAt(start) == '0')) {
      return null;
    }
    int value = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 255 ? value : null;
  }

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] head;
    byte[] tail;
    if (gap < 0) {
      head = groups(text, true);
      tail = new byte[0];
    } else {
      head = gap == 0 ? new byte[0] : groups(text.substring(0, gap), false);
      tail = gap + 2 == text.length() ? new byte[0] : groups(text.substring(gap + 2), true);
    }
    if (head == null || tail == null) {
      return null;
    }
    int written = head.length + tail.length;
    // "::" stands for at least one group of zeros.
    if (gap < 0 ? written != 16 : written > 14) {
      return null;
    }
    byte[] bytes = new byte[16];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(tail, 0, bytes, 16 - tail.length, tail.length);
    return bytes;
  }

  /**
   * Colon-separated groups of 1 to 4 hex digits, the last one possibly a dotted quad when {@code
   * last} (nothing follows); null when malformed.
   */
  private static byte[] groups(String text, boolean last) {
    String[] parts = text.split(":", -1);
    byte[] bytes = new byte[parts.length * 2 + 2];
    int length = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (last && i == parts.length - 1 && part.indexOf('.') >= 0) {
        byte[] ipv4 = ipv4(part);
        if (ipv4 == null) {
          return null;
        }
        System.arraycopy(ipv4, 0, bytes, length, 4);
        length += 4;
        continue;
      }
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        int digit = hexDigit(part.charAt(j));
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      bytes[length++] = (byte) (value >> 8);
      bytes[length++] = (byte) value;
    }
    return length > 16 ? null : Arrays.copyOf(bytes, length);
  }

  /** An ASCII hex digit's value, or -1: Character.digit also takes other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
