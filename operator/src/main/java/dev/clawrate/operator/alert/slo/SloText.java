package dev.clawrate.operator.alert.slo;

import java.time.Duration;

/**
 * The numbers and durations of SLO reasons. Written by hand rather than with {@code String.format}
 * because an evaluation round formats tens of thousands of them.
 */
public final class SloText {

  private SloText() {}

  /** {@code 14.4}: one decimal, rounded half up. */
  static String oneDecimal(double value) {
    long tenths = Math.round(value * 10);
    return (tenths / 10) + "." + (tenths % 10);
  }

  /** A count of requests, rounded: {@code 42}. */
  static String count(double value) {
    return Long.toString(Math.round(value));
  }

  /** A duration as the spec writes it: {@code 6h}, {@code 5m}, {@code 1m30s}, {@code 500ms}. */
  public static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long rest = millis % 1000;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0) {
      text.append(seconds).append('s');
    }
    if (rest > 0) {
      text.append(rest).append("ms");
    }
    return text.toString();
  }
}
