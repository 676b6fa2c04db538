package dev.clawrate.operator.alert;

import java.time.Duration;

/** A duration as people write it: {@code 5m}, {@code 1h30m}, {@code 10s}, {@code 250ms}. */
final class SpanWords {

  private SpanWords() {}

  static String of(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    StringBuilder text = new StringBuilder();
    if (seconds >= 3600) {
      text.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60) {
      text.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || text.length() == 0) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }
}
