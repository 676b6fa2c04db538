package dev.clawrate.operator.metrics;

import java.nio.charset.StandardCharsets;

/**
 * Sample values as the exposition format and the Prometheus HTTP API write them: Go floats ({@code
 * 1}, {@code 1.5e-3}, {@code NaN}, {@code +Inf}, {@code -Inf}). Pure.
 *
 * <p>A scrape of many tenants holds millions of values, nearly all short decimals ({@code 0.0},
 * {@code 12.0}, {@code 1.0E-4}): those are computed here directly, exactly as {@link
 * Double#parseDouble} would (a mantissa below 2^53 and a power of ten up to 10^22 are both exact,
 * so one division or multiplication rounds once, correctly); any other form goes to it.
 */
final class SampleValues {

  private static final int MAX_LENGTH = 64;
  private static final int MAX_EXACT_DIGITS = 15;
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private SampleValues() {}

  /**
   * @throws NumberFormatException when the text is no sample value (the message never quotes it)
   */
  static double parse(String text) {
    if (text.isEmpty() || text.length() > MAX_LENGTH) {
      throw notAValue();
    }
    // Any character outside Latin-1 becomes '?', which is no part of a value either.
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return parse(bytes, 0, bytes.length);
  }

  /**
   * The value written in {@code bytes[start, end)}.
   *
   * @throws NumberFormatException when it is none (the message never quotes it)
   */
  static double parse(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length < 1 || length > MAX_LENGTH) {
      throw notAValue();
    }
    double special = special(bytes, start, end);
    if (!Double.isNaN(special) || isWord(bytes, start, end, "nan")) {
      return special;
    }
    double simple = simpleDecimal(bytes, start, end);
    return Double.isNaN(simple) ? viaJava(bytes, start, end) : simple;
  }

  /** +Inf, -Inf or Inf in any case; NaN for anything else (the caller tells NaN itself). */
  private static double special(byte[] bytes, int start, int end) {
    char sign = (char) bytes[start];
    int word = sign == '+' || sign == '-' ? start + 1 : start;
    if (isWord(bytes, word, end, "inf")) {
      return sign == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.NaN;
  }

  private static boolean isWord(byte[] bytes, int start, int end, String lowercase) {
    if (end - start != lowercase.length()) {
      return false;
    }
    for (int i = 0; i < lowercase.length(); i++) {
      if ((bytes[start + i] | 0x20) != lowercase.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * [+-]digits[.digits][(e|E)[+-]digits] with at most 15 significant digits and a power of ten the
   * double can hold exactly; NaN when the text is not of that form (never a value of it).
   */
  private static double simpleDecimal(byte[] bytes, int start, int end) {
    int i = start;
    boolean negative = bytes[i] == '-';
    if (negative || bytes[i] == '+') {
      i++;
    }
    long mantissa = 0;
    int significant = 0;
    int exponent = 0;
    int digits = 0;
    boolean fraction = false;
    for (; i < end; i++) {
      int c = bytes[i];
      if (c == '.' && !fraction) {
        fraction = true;
        continue;
      }
      if (c < '0' || c > '9') {
        break;
      }
      digits++;
      if (mantissa != 0 || c != '0') {
        if (++significant > MAX_EXACT_DIGITS) {
          return Double.NaN;
        }
        mantissa = mantissa * 10 + (c - '0');
      }
      if (fraction) {
        exponent--;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
      i++;
      boolean negativeExponent = i < end && bytes[i] == '-';
      if (i < end && (negativeExponent || bytes[i] == '+')) {
        i++;
      }
      int written = 0;
      int exponentDigits = 0;
      for (; i < end && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
        if (written < 1000) {
          written = written * 10 + (bytes[i] - '0');
        }
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return Double.NaN;
      }
      exponent += negativeExponent ? -written : written;
    }
    if (i != end) {
      return Double.NaN;
    }
    double value;
    if (mantissa == 0) {
      value = 0;
    } else if (exponent >= 0 && exponent < POWERS_OF_TEN.length) {
      value = mantissa * POWERS_OF_TEN[exponent];
    } else if (exponent < 0 && -exponent < POWERS_OF_TEN.length) {
      value = mantissa / POWERS_OF_TEN[-exponent];
    } else {
      return Double.NaN;
    }
    return negative ? -value : value;
  }

  /**
   * Double.parseDouble also takes hexadecimal, "Infinity" and a trailing 'd' or 'f', which no
   * exposition writes: only the characters of a decimal float get that far.
   */
  private static double viaJava(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      int c = bytes[i];
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        throw notAValue();
      }
    }
    try {
      return Double.parseDouble(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
    } catch (NumberFormatException e) {
      throw notAValue();
    }
  }

  private static NumberFormatException notAValue() {
    return new NumberFormatException("not a sample value");
  }
}
