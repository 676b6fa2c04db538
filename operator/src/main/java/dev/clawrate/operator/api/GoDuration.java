package dev.clawrate.operator.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of the spec ({@code 30s}, {@code 1m30s}, {@code 250ms}). The CRD's pattern
 * refuses anything else on a real API server; a server that validates nothing may still hand over
 * garbage, which reads as the default instead of failing the release.
 */
public final class GoDuration {

  private static final Pattern WHOLE = Pattern.compile(ClawrateApi.DURATION);
  private static final Pattern PART = Pattern.compile("([0-9]{1,6})(ms|s|m|h)");

  private GoDuration() {}

  /** The duration written, or {@code otherwise} when it is absent or malformed. */
  public static Duration parse(String text, Duration otherwise) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return otherwise;
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
    }
    return total;
  }
}
