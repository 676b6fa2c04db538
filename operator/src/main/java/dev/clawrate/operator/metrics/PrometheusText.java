package dev.clawrate.operator.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A parser of the Prometheus text exposition format 0.0.4, as a rater's {@code /metrics} serves it.
 *
 * <p>It is bounded: a body over {@link #maxBytes()} is refused as a whole. It is tolerant: a line
 * it cannot read (a malformed sample, an unknown escape, a bad number, a duplicate label) is left
 * out and counted, and the rest is read. It never quotes the text it reads: what it reports of a
 * bad line is its number.
 *
 * <p>Samples of metrics the caller does not want are passed over without being read further, so a
 * rater's JVM metrics cost nothing; a malformed line among them is not counted.
 */
public final class PrometheusText {

  /**
   * 8 MiB: a rater exposes about 3.5 KiB per tenant and outcome of its requests and 2.7 KiB per
   * tenant of its ratings, so this holds several hundred tenants, and bounds what one scrape may
   * hold in memory.
   */
  public static final int DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

  private static final int MAX_ALLOWED_BYTES = 256 * 1024 * 1024;
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final int maxBytes;
  private final Predicate<String> wanted;

  /**
   * @param maxBytes the largest body read
   * @param wanted which metric names to return samples of
   */
  public PrometheusText(int maxBytes, Predicate<String> wanted) {
    if (maxBytes < 1 || maxBytes > MAX_ALLOWED_BYTES) {
      throw new IllegalArgumentException("maxBytes must be between 1 and " + MAX_ALLOWED_BYTES);
    }
    this.maxBytes = maxBytes;
    this.wanted = wanted;
  }

  /** A parser of the metrics the operator reads from raters ({@code clawrate_*}). */
  public static PrometheusText forRaters() {
    return new PrometheusText(DEFAULT_MAX_BYTES, RaterSeries::isRaterMetric);
  }

  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Reads and parses a body.
   *
   * @param declaredLength the length the response announced, or -1
   * @throws BodyTooLargeException when the body is over the limit
   */
  public ParsedMetrics parse(InputStream in, long declaredLength) throws IOException {
    return parse(
        new String(BoundedBody.read(in, declaredLength, maxBytes), StandardCharsets.UTF_8));
  }

  /**
   * Parses a body already read.
   *
   * @throws BodyTooLargeException when the text is over the limit
   */
  public ParsedMetrics parse(String text) throws BodyTooLargeException {
    // Each char is at least one byte in UTF-8; the exact count would need a second pass.
    if (text.length() > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    List<MetricSample> samples = new ArrayList<>();
    int skipped = 0;
    int firstSkipped = 0;
    int lineNumber = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      lineNumber++;
      int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
      if (!new Line(text, start, lineEnd).read(samples)) {
        skipped++;
        if (firstSkipped == 0) {
          firstSkipped = lineNumber;
        }
      }
      start = end + 1;
    }
    return new ParsedMetrics(samples, skipped, firstSkipped);
  }

  /**
   * Parses a sample value as the exposition format and the Prometheus HTTP API write it: a Go float
   * ({@code 1}, {@code 1.5e-3}, {@code NaN}, {@code +Inf}, {@code -Inf}).
   *
   * @throws NumberFormatException when it is none (the message never quotes it)
   */
  public static double parseValue(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "inf":
      case "+inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (text.isEmpty() || text.length() > 64) {
      throw new NumberFormatException("not a sample value");
    }
    // Double.parseDouble also takes hexadecimal, "Infinity" and a trailing 'd' or 'f', which no
    // exposition writes: only the characters of a decimal float get that far.
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        throw new NumberFormatException("not a sample value");
      }
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("not a sample value");
    }
  }

  /** One line, read once from left to right. */
  private final class Line {
    private final String text;
    private final int end;
    private int pos;

    Line(String text, int start, int end) {
      this.text = text;
      this.pos = start;
      this.end = end;
    }

    /** Adds the line's sample, if any and wanted; false when the line cannot be read. */
    boolean read(List<MetricSample> samples) {
      skipBlanks();
      if (pos == end) {
        return true;
      }
      if (text.charAt(pos) == '#') {
        return readComment();
      }
      String name = metricName();
      if (name == null) {
        return false;
      }
      if (!wanted.test(name)) {
        return true;
      }
      // The value must be set apart from the name; a closing brace does that too.
      boolean separated = skipBlanks() > 0;
      Map<String, String> labels = Map.of();
      if (pos < end && text.charAt(pos) == '{') {
        pos++;
        labels = labels();
        if (labels == null) {
          return false;
        }
        skipBlanks();
        separated = true;
      }
      if (!separated || pos == end) {
        return false;
      }
      double value;
      try {
        value = parseValue(token());
      } catch (NumberFormatException e) {
        return false;
      }
      skipBlanks();
      if (pos < end && !timestamp()) {
        return false;
      }
      samples.add(new MetricSample(name, labels, value));
      return true;
    }

    /** HELP and TYPE must be well formed; any other comment is free text. */
    private boolean readComment() {
      pos++;
      skipBlanks();
      String keyword = token();
      if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
        return true;
      }
      if (skipBlanks() == 0 || metricName() == null) {
        return false;
      }
      if (keyword.equals("HELP")) {
        return pos == end || skipBlanks() > 0;
      }
      if (skipBlanks() == 0) {
        return false;
      }
      boolean known = TYPES.contains(token());
      skipBlanks();
      return known && pos == end;
    }

    /** Reads up to and including the closing brace; null when malformed. */
    private Map<String, String> labels() {
      Map<String, String> labels = new HashMap<>();
      while (true) {
        skipBlanks();
        if (pos < end && text.charAt(pos) == '}') {
          pos++;
          return labels;
        }
        String name = labelName();
        if (name == null) {
          return null;
        }
        skipBlanks();
        if (pos >= end || text.charAt(pos) != '=') {
          return null;
        }
        pos++;
        skipBlanks();
        String value = quoted();
        if (value == null || labels.put(name, value) != null) {
          return null;
        }
        skipBlanks();
        if (pos < end && text.charAt(pos) == ',') {
          pos++;
        } else if (pos >= end || text.charAt(pos) != '}') {
          return null;
        }
      }
    }

    /** A double-quoted label value with the escapes \\, \" and \n; null when malformed. */
    private String quoted() {
      if (pos >= end || text.charAt(pos) != '"') {
        return null;
      }
      pos++;
      StringBuilder value = new StringBuilder();
      while (pos < end) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        if (pos >= end) {
          return null;
        }
        char escaped = text.charAt(pos++);
        switch (escaped) {
          case '\\' -> value.append('\\');
          case '"' -> value.append('"');
          case 'n' -> value.append('\n');
          default -> {
            return null;
          }
        }
      }
      return null;
    }

    /** An optional int64 of milliseconds; read to check the line, then dropped. */
    private boolean timestamp() {
      String token = token();
      skipBlanks();
      if (pos != end || token.isEmpty() || token.length() > 20) {
        return false;
      }
      for (int i = token.startsWith("-") ? 1 : 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      try {
        Long.parseLong(token);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, or null. */
    private String metricName() {
      int start = pos;
      while (pos < end && isNameChar(text.charAt(pos), pos == start, true)) {
        pos++;
      }
      return pos == start ? null : text.substring(start, pos);
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, or null. */
    private String labelName() {
      int start = pos;
      while (pos < end && isNameChar(text.charAt(pos), pos == start, false)) {
        pos++;
      }
      return pos == start ? null : text.substring(start, pos);
    }

    private String token() {
      int start = pos;
      while (pos < end && !isBlank(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    private int skipBlanks() {
      int start = pos;
      while (pos < end && isBlank(text.charAt(pos))) {
        pos++;
      }
      return pos - start;
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isNameChar(char c, boolean first, boolean colonAllowed) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || (colonAllowed && c == ':')
        || (!first && c >= '0' && c <= '9');
  }
}
