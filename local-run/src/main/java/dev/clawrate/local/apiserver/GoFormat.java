package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Values written as the Kubernetes API server (in Go) writes them in error messages: strings
 * quoted, numbers with Go's {@code %v} of a float64 (65536, 0.25, 1e+08), other values as JSON.
 * Pure.
 */
final class GoFormat {

  private GoFormat() {}

  static String value(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return quoted("null");
    }
    if (value.isTextual()) {
      return quoted(value.asText());
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return number(value.doubleValue());
    }
    return value.toString();
  }

  static String quoted(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\x%02x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  /**
   * Go's {@code %v} of a float64: the shortest digits that round-trip, written plain unless the
   * decimal exponent is below -4 or at least 6, then as {@code d.ddde+XX}.
   */
  static String number(double number) {
    if (number == 0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(Double.toString(Math.abs(number))).stripTrailingZeros();
    String digits = exact.unscaledValue().toString();
    int exponent = digits.length() - exact.scale() - 1;
    String sign = number < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exponent));
    }
    return sign + exact.toPlainString();
  }
}
