package dev.clawrate.operator.metrics;

import java.io.IOException;
import java.io.InputStream;

/**
 * What reading one instance's metrics gave: what the read made of its samples, or why there is
 * nothing.
 *
 * @param instance the instance's key: a pod name or a URL without credentials
 * @param track the instance's track
 * @param result what the read made of the samples, or null when they could not be read
 * @param skipped the exposition's lines left out; {@link SkippedLines#NONE} when not read
 * @param problem why not, in words of this operator's (a status code, an exception's class), never
 *     text the instance sent; null when read
 * @param <T> what a read makes of an instance's samples
 */
record Scrape<T>(String instance, String track, T result, SkippedLines skipped, String problem) {

  static <T> Scrape<T> failed(String instance, String track, String problem) {
    return new Scrape<>(instance, track, null, SkippedLines.NONE, problem);
  }

  /**
   * Parses an instance's exposition into {@code summary}, as it streams in.
   *
   * @param declaredLength the length the response announced, or -1
   */
  static <T> Scrape<T> parse(
      String instance,
      String track,
      InputStream body,
      long declaredLength,
      PrometheusText parser,
      InstanceSummary<T> summary) {
    try {
      SkippedLines skipped = parser.read(body, declaredLength, summary);
      return new Scrape<>(instance, track, summary.result(), skipped, null);
    } catch (IOException | RuntimeException e) {
      return failed(instance, track, Problems.of(e));
    }
  }
}
