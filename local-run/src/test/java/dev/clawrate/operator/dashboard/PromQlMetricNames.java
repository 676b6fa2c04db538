package dev.clawrate.operator.dashboard;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: every identifier that is not a function or
 * aggregation (followed by {@code (}), a keyword, a label name (inside {@code {}} or the label list
 * of {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left}, {@code
 * group_right}), a string, a duration or a Grafana variable. A selector by {@code __name__} is
 * refused: its metric could not be checked.
 */
final class PromQlMetricNames {

  private static final Pattern GRAFANA_VARIABLE =
      Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile(
          "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern OFFSET =
      Pattern.compile("\\boffset\\s+-?[0-9][0-9a-z]*", Pattern.CASE_INSENSITIVE);
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "inf",
          "nan");

  private PromQlMetricNames() {}

  /**
   * @throws IllegalArgumentException for a selector by {@code __name__}
   */
  static Set<String> of(String expr) {
    String text = GRAFANA_VARIABLE.matcher(expr).replaceAll(" ");
    text = STRING.matcher(text).replaceAll(" ");
    if (text.contains("__name__")) {
      throw new IllegalArgumentException("selects metrics by __name__, which cannot be checked");
    }
    text = MATCHERS.matcher(text).replaceAll(" ");
    text = RANGE.matcher(text).replaceAll(" ");
    text = LABEL_LIST.matcher(text).replaceAll(" ");
    text = OFFSET.matcher(text).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    int at = 0;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (Character.isDigit(c) || (c == '.' && at + 1 < text.length() && isDigit(text, at + 1))) {
        at = skipNumber(text, at);
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int end = at;
        while (end < text.length() && isNamePart(text.charAt(end))) {
          end++;
        }
        String name = text.substring(at, end);
        if (!followedByCall(text, end) && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
          names.add(name);
        }
        at = end;
      } else {
        at++;
      }
    }
    return names;
  }

  private static boolean isDigit(String text, int at) {
    return Character.isDigit(text.charAt(at));
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  /** Past a decimal, hexadecimal or exponent number; a number's letters are no names. */
  private static int skipNumber(String text, int at) {
    int end = at;
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end))
            || text.charAt(end) == '.'
            || ((text.charAt(end) == '+' || text.charAt(end) == '-')
                && Character.toLowerCase(text.charAt(end - 1)) == 'e'
                && !text.startsWith("0x", at)))) {
      end++;
    }
    return end;
  }

  private static boolean followedByCall(String text, int at) {
    int next = at;
    while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
      next++;
    }
    return next < text.length() && text.charAt(next) == '(';
  }
}
