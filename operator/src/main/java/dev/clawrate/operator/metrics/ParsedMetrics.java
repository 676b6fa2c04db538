package dev.clawrate.operator.metrics;

import java.util.List;

/**
 * What a parse of an exposition found.
 *
 * @param samples the samples of the metrics asked for, in the order of the text
 * @param skippedLines lines that could not be read and were left out
 * @param firstSkippedLine the 1-based number of the first of them, 0 when none: a place to look,
 *     never the line itself
 */
public record ParsedMetrics(List<MetricSample> samples, int skippedLines, int firstSkippedLine) {

  public ParsedMetrics {
    samples = List.copyOf(samples);
  }
}
