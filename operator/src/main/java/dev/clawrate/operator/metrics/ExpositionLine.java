package dev.clawrate.operator.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads one line of the exposition format from its UTF-8 bytes, left to right, and is the sample it
 * read until the next line: the parse hands this one object on for every sample, so a line costs no
 * allocation beyond the strings the {@link TextInterner} has not seen yet. Used by one parse on one
 * thread.
 *
 * <p>Consecutive lines of a histogram differ only in their last label ({@code le}) and value, and a
 * tenant's series share most labels: a line that begins as the one before is not read again up to
 * where they part. The state of the read at the start of each label is kept, with the line's bytes;
 * the next line resumes from the last such state whose bytes, up to and including the one it stands
 * at, it shares, which one vectorised comparison tells. The read is left to right and a state
 * depends on nothing past that byte, so resuming gives what reading from the start would.
 */
final class ExpositionLine implements Sample {

  /** What a line held. */
  enum Kind {
    /** A blank line, a comment, or a sample of a metric not asked for. */
    NOTHING,
    /** A sample, now readable through this object. */
    SAMPLE,
    /** A line that cannot be read. */
    MALFORMED
  }

  private static final int FEW_LABELS = 16;

  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final Predicate<String> wanted;
  private final TextInterner interner;
  private byte[] bytes;
  private int pos;
  private int end;
  private byte[] unescaped = new byte[256];

  private int lineStart;
  private String name;
  private String[] labelNames = new String[8];
  private String[] labelValues = new String[8];
  private int labelCount;
  private double value;
  // The label names of a line with many, once it has that many.
  private final Set<String> manyLabels = new HashSet<>();
  private boolean manyLabelsOfThisLine;

  // The last line whose labels were read: its bytes, its metric name, and where each of its labels
  // began (checkpoints[k]: the offset in the line where, k labels read, the next began).
  private byte[] previous = new byte[512];
  private int previousLength;
  private String previousName;
  private int[] checkpoints = new int[9];
  private int checkpointCount;

  ExpositionLine(Predicate<String> wanted, TextInterner interner) {
    this.wanted = wanted;
    this.interner = interner;
  }

  /** Reads the line {@code bytes[start, end)}, without its line break. */
  Kind read(byte[] bytes, int start, int end) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.lineStart = start;
    this.manyLabelsOfThisLine = false;
    Kind kind = readLine();
    rememberLine();
    return kind;
  }

  private Kind readLine() {
    int resumable = resumableLabels();
    if (resumable >= 0) {
      labelCount = resumable;
      checkpointCount = resumable;
      pos = lineStart + checkpoints[resumable];
      return labelsAndValue(previousName);
    }
    labelCount = 0;
    checkpointCount = 0;
    skipBlanks();
    if (pos == end) {
      return Kind.NOTHING;
    }
    if (bytes[pos] == '#') {
      return readComment() ? Kind.NOTHING : Kind.MALFORMED;
    }
    String metric = metricName();
    if (metric == null) {
      return Kind.MALFORMED;
    }
    if (!wanted.test(metric)) {
      return Kind.NOTHING;
    }
    // The value must be set apart from the name; a closing brace does that too.
    boolean separated = skipBlanks() > 0;
    if (pos < end && bytes[pos] == '{') {
      pos++;
      previousName = metric;
      return labelsAndValue(metric);
    }
    return value(metric, separated);
  }

  /**
   * How many labels of the last line this one begins with unchanged, up to the start of the next
   * label: the read may resume there. -1 when it cannot.
   */
  private int resumableLabels() {
    if (checkpointCount == 0) {
      return -1;
    }
    int common = Arrays.mismatch(previous, 0, previousLength, bytes, lineStart, end);
    if (common < 0) {
      common = previousLength;
    }
    // A state may depend on the byte it stands at (a label without a comma after it is known to be
    // followed by the closing brace): the lines must agree on that byte too.
    for (int k = checkpointCount - 1; k >= 0; k--) {
      if (checkpoints[k] < common) {
        return k;
      }
    }
    return -1;
  }

  /** Keeps the line's bytes when its labels were read, for the next line to resume from. */
  private void rememberLine() {
    if (checkpointCount == 0) {
      return;
    }
    int length = end - lineStart;
    if (length > previous.length) {
      previous = new byte[Math.max(length, previous.length * 2)];
    }
    System.arraycopy(bytes, lineStart, previous, 0, length);
    previousLength = length;
  }

  /** The labels from {@code pos} (the start of a label, or the closing brace) to the end. */
  private Kind labelsAndValue(String metric) {
    if (!readLabels()) {
      return Kind.MALFORMED;
    }
    skipBlanks();
    return value(metric, true);
  }

  /** The value and optional timestamp at {@code pos}. */
  private Kind value(String metric, boolean separated) {
    if (!separated || pos == end) {
      return Kind.MALFORMED;
    }
    int valueStart = pos;
    skipToken();
    try {
      value = SampleValues.parse(bytes, valueStart, pos);
    } catch (NumberFormatException e) {
      return Kind.MALFORMED;
    }
    skipBlanks();
    if (pos < end && !timestamp()) {
      return Kind.MALFORMED;
    }
    name = metric;
    return Kind.SAMPLE;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String label(String label) {
    // Strings cache their hash: most names are told apart without comparing their characters.
    int hash = label.hashCode();
    for (int i = 0; i < labelCount; i++) {
      if (labelNames[i].hashCode() == hash && labelNames[i].equals(label)) {
        return labelValues[i];
      }
    }
    return "";
  }

  @Override
  public Map<String, String> labels() {
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < labelCount; i++) {
      labels.put(labelNames[i], labelValues[i]);
    }
    return labels;
  }

  @Override
  public double value() {
    return value;
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

  /** Reads up to and including the closing brace; false when malformed. */
  private boolean readLabels() {
    while (true) {
      if (labelCount == checkpoints.length) {
        checkpoints = Arrays.copyOf(checkpoints, labelCount * 2);
      }
      checkpoints[labelCount] = pos - lineStart;
      checkpointCount = labelCount + 1;
      skipBlanks();
      if (pos < end && bytes[pos] == '}') {
        pos++;
        return true;
      }
      String label = labelName();
      if (label == null) {
        return false;
      }
      skipBlanks();
      if (pos >= end || bytes[pos] != '=') {
        return false;
      }
      pos++;
      skipBlanks();
      String text = quoted();
      if (text == null || !add(label, text)) {
        return false;
      }
      skipBlanks();
      if (pos < end && bytes[pos] == ',') {
        pos++;
      } else if (pos >= end || bytes[pos] != '}') {
        return false;
      }
    }
  }

  /** False when the line has the label already. */
  private boolean add(String label, String text) {
    if (labelCount < FEW_LABELS) {
      for (int i = 0; i < labelCount; i++) {
        if (labelNames[i].equals(label)) {
          return false;
        }
      }
    } else {
      // A line of a megabyte may hold a hundred thousand labels: each is not compared with all.
      if (!manyLabelsOfThisLine) {
        manyLabels.clear();
        manyLabels.addAll(Arrays.asList(labelNames).subList(0, labelCount));
        manyLabelsOfThisLine = true;
      }
      if (!manyLabels.add(label)) {
        return false;
      }
    }
    if (labelCount == labelNames.length) {
      labelNames = Arrays.copyOf(labelNames, labelCount * 2);
      labelValues = Arrays.copyOf(labelValues, labelCount * 2);
    }
    labelNames[labelCount] = label;
    labelValues[labelCount] = text;
    labelCount++;
    return true;
  }

  /** A double-quoted label value with the escapes \\, \" and \n; null when malformed. */
  private String quoted() {
    if (pos >= end || bytes[pos] != '"') {
      return null;
    }
    int start = ++pos;
    int place = 2 + 2 * labelCount;
    int known = interner.recall(place, bytes, start, end);
    if (known >= 0 && start + known < end && bytes[start + known] == '"') {
      pos = start + known + 1;
      return interner.last(place);
    }
    while (pos < end && bytes[pos] != '"' && bytes[pos] != '\\') {
      pos++;
    }
    if (pos < end && bytes[pos] == '"') {
      return interner.intern(place, bytes, start, pos++);
    }
    return escapedRest(start);
  }

  /** A quoted value with a backslash at {@code pos}: unescaped into a buffer of its own. */
  private String escapedRest(int start) {
    int length = 0;
    pos = start;
    while (pos < end) {
      byte c = bytes[pos++];
      if (c == '"') {
        return interner.intern(-1, unescaped, 0, length);
      }
      if (c == '\\') {
        if (pos >= end) {
          return null;
        }
        byte escaped = bytes[pos++];
        switch (escaped) {
          case '\\', '"' -> c = escaped;
          case 'n' -> c = '\n';
          default -> {
            return null;
          }
        }
      }
      if (length == unescaped.length) {
        unescaped = Arrays.copyOf(unescaped, length * 2);
      }
      unescaped[length++] = c;
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
    return name(0, METRIC_NAME_START, METRIC_NAME_PART);
  }

  /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, or null. */
  private String labelName() {
    return name(1 + 2 * labelCount, LABEL_NAME_START, LABEL_NAME_PART);
  }

  /** A name of these characters at {@code pos}, or null; most often the last line's there. */
  private String name(int place, boolean[] first, boolean[] rest) {
    int start = pos;
    int known = interner.recall(place, bytes, start, end);
    if (known > 0 && (start + known == end || !rest[bytes[start + known] & 0xff])) {
      pos = start + known;
      return interner.last(place);
    }
    if (pos < end && first[bytes[pos] & 0xff]) {
      pos++;
      while (pos < end && rest[bytes[pos] & 0xff]) {
        pos++;
      }
    }
    return pos == start ? null : interner.intern(place, bytes, start, pos);
  }

  /** The run of non-blank text at {@code pos}, for the rare parts read as words. */
  private String token() {
    int start = pos;
    skipToken();
    return new String(bytes, start, pos - start, StandardCharsets.UTF_8);
  }

  private void skipToken() {
    while (pos < end && !isBlank(bytes[pos])) {
      pos++;
    }
  }

  private int skipBlanks() {
    int start = pos;
    while (pos < end && isBlank(bytes[pos])) {
      pos++;
    }
    return pos - start;
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t';
  }

  private static final boolean[] METRIC_NAME_START = nameChars(false, true);
  private static final boolean[] METRIC_NAME_PART = nameChars(true, true);
  private static final boolean[] LABEL_NAME_START = nameChars(false, false);
  private static final boolean[] LABEL_NAME_PART = nameChars(true, false);

  /** Which bytes may be part of a name, by unsigned byte value. */
  private static boolean[] nameChars(boolean digits, boolean colon) {
    boolean[] allowed = new boolean[256];
    for (int c = 0; c < 256; c++) {
      allowed[c] =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (colon && c == ':')
              || (digits && c >= '0' && c <= '9');
    }
    return allowed;
  }
}
