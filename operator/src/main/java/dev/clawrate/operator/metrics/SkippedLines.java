package dev.clawrate.operator.metrics;

/**
 * The lines of an exposition a parse could not read and left out.
 *
 * @param count how many
 * @param first the 1-based number of the first of them, 0 when none: a place to look, never the
 *     line itself
 */
record SkippedLines(int count, int first) {

  static final SkippedLines NONE = new SkippedLines(0, 0);
}
