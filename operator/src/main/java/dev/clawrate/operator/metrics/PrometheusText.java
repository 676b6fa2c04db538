package dev.clawrate.operator.metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A parser of the Prometheus text exposition format 0.0.4, as a rater's {@code /metrics} serves it.
 *
 * <p>It streams: it reads the body a block at a time and hands each sample on as its line is read
 * ({@link #read}), so a scrape of ten thousand tenants (about 120 MB) is never held in memory, and
 * only what the caller makes of the samples is. It is bounded: a body over {@link #maxBytes()} is
 * refused as a whole, and a line over 1 MiB is left out. It is tolerant: a line it cannot read (a
 * malformed sample, an unknown escape, a bad number, a duplicate label) is left out and counted,
 * and the rest is read. It never quotes the text it reads: what it reports of a bad line is its
 * number.
 *
 * <p>Samples of metrics the caller does not want are passed over without being read further, so a
 * rater's JVM metrics cost nothing; a malformed line among them is not counted.
 */
public final class PrometheusText {

  /**
   * 256 MiB: a rater exposes about 12 KB per tenant that had requests of two outcomes and ratings,
   * so this holds some twenty thousand tenants. It bounds the work of one scrape, not its memory,
   * which the parse never needs.
   */
  public static final int DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

  private static final int MAX_ALLOWED_BYTES = 256 * 1024 * 1024;
  private static final int BLOCK_BYTES = 64 * 1024;
  private static final int MAX_LINE_BYTES = 1024 * 1024;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long NEWLINES = ONES * '\n';

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
   * Reads and parses a body, keeping every sample.
   *
   * @param declaredLength the length the response announced, or -1
   * @throws BodyTooLargeException when the body is over the limit
   */
  public ParsedMetrics parse(InputStream in, long declaredLength) throws IOException {
    List<MetricSample> samples = new ArrayList<>();
    SkippedLines skipped =
        read(in, declaredLength, sample -> samples.add(MetricSample.copyOf(sample)));
    return new ParsedMetrics(samples, skipped.count(), skipped.first());
  }

  /**
   * Parses a body already read, keeping every sample.
   *
   * @throws BodyTooLargeException when the text is over the limit
   */
  public ParsedMetrics parse(String text) throws BodyTooLargeException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      return parse(new ByteArrayInputStream(bytes), bytes.length);
    } catch (BodyTooLargeException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array failed", e);
    }
  }

  /**
   * Reads and parses a body, handing each sample of a wanted metric to {@code sink} as it is read.
   * The sample handed on is only valid during the call (see {@link Sample}).
   *
   * @param declaredLength the length the response announced, or -1: over the limit, nothing is read
   *     at all
   * @throws BodyTooLargeException when the body is over the limit; the sink may have been handed
   *     samples of its beginning
   */
  SkippedLines read(InputStream in, long declaredLength, Consumer<? super Sample> sink)
      throws IOException {
    InputStream body = BoundedBody.limited(in, declaredLength, maxBytes);
    Lines lines = new Lines(new ExpositionLine(wanted, new TextInterner()), sink);
    byte[] block = new byte[BLOCK_BYTES];
    int start = 0;
    int filled = 0;
    while (true) {
      int newline = indexOfNewline(block, start, filled);
      if (newline >= 0) {
        lines.read(block, start, newline);
        start = newline + 1;
        continue;
      }
      if (start > 0) {
        System.arraycopy(block, start, block, 0, filled - start);
        filled -= start;
        start = 0;
      }
      if (filled == block.length) {
        if (block.length < MAX_LINE_BYTES) {
          block = Arrays.copyOf(block, Math.min(block.length * 2, MAX_LINE_BYTES));
        } else {
          lines.overlong();
          filled = 0;
        }
      }
      int read = body.read(block, filled, block.length - filled);
      if (read < 0) {
        break;
      }
      filled += read;
    }
    // What follows the last line break is a line too, if only an empty one.
    lines.read(block, start, filled);
    return lines.skipped();
  }

  /**
   * Parses a sample value as the exposition format and the Prometheus HTTP API write it: a Go float
   * ({@code 1}, {@code 1.5e-3}, {@code NaN}, {@code +Inf}, {@code -Inf}).
   *
   * @throws NumberFormatException when it is none (the message never quotes it)
   */
  public static double parseValue(String text) {
    return SampleValues.parse(text);
  }

  /**
   * The first line break in {@code bytes[start, end)}, or -1: eight bytes at a time, the one pass
   * over every byte of the body.
   */
  private static int indexOfNewline(byte[] bytes, int start, int end) {
    int i = start;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i) ^ NEWLINES;
      // A zero byte of word, a line break of the text: the lowest byte flagged is the first one.
      long zeros = (word - ONES) & ~word & HIGH_BITS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Numbers the lines, hands their samples on and counts those left out. */
  private static final class Lines {
    private final ExpositionLine line;
    private final Consumer<? super Sample> sink;
    private int number;
    private int skipped;
    private int firstSkipped;
    // Inside a line longer than a block may grow: its head is gone, its rest is passed over.
    private boolean overlong;

    Lines(ExpositionLine line, Consumer<? super Sample> sink) {
      this.line = line;
      this.sink = sink;
    }

    /** The line {@code bytes[start, end)}, {@code end} at its line break or the body's end. */
    void read(byte[] bytes, int start, int end) {
      number++;
      if (overlong) {
        overlong = false;
        skip();
        return;
      }
      int lineEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      switch (line.read(bytes, start, lineEnd)) {
        case SAMPLE -> sink.accept(line);
        case MALFORMED -> skip();
        case NOTHING -> {}
      }
    }

    void overlong() {
      overlong = true;
    }

    private void skip() {
      skipped++;
      if (firstSkipped == 0) {
        firstSkipped = number;
      }
    }

    SkippedLines skipped() {
      return new SkippedLines(skipped, firstSkipped);
    }
  }
}
