package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final PrometheusText ALL = new PrometheusText(1 << 24, name -> true);

  @Test
  void readsWhatARaterExposes() throws Exception {
    String text =
        new RaterExposition()
            .live("stable", 7)
            .request("bank-a", "stable", "ok", 3)
            .rating("bank-a", "stable", 700, "approve")
            .text();

    ParsedMetrics parsed = PrometheusText.forRaters().parse(text);

    assertEquals(0, parsed.skippedLines());
    assertEquals(0, parsed.firstSkippedLine());
    MetricSample fiveMillis =
        only(parsed.samples(), RaterSeries.REQUESTS_BUCKET, Map.of("le", "0.005"));
    assertEquals(1, fiveMillis.value());
    assertEquals("bank-a", fiveMillis.label("tenant"));
    assertEquals("ok", fiveMillis.label("outcome"));
    assertEquals(RaterExposition.DIGEST, fiveMillis.label("digest"));
    assertEquals(
        0, only(parsed.samples(), RaterSeries.REQUESTS_BUCKET, Map.of("le", "0.0025")).value());
    // micrometer writes small bounds in Java's notation.
    assertEquals(
        0, only(parsed.samples(), RaterSeries.REQUESTS_BUCKET, Map.of("le", "1.0E-4")).value());
    assertEquals(
        1, only(parsed.samples(), RaterSeries.RATING_BUCKET, Map.of("le", "700.0")).value());
    assertEquals(1, only(parsed.samples(), RaterSeries.DECISIONS, Map.of()).value());
    assertEquals(7, only(parsed.samples(), RaterSeries.CONFIG_REVISION, Map.of()).value());
  }

  @Test
  void passesOverMetricsNotAskedForWithoutReadingThem() throws Exception {
    String text = "jvm_threads_live 12\njvm_broken{{\nclawrate_x 1\nclawrate_broken{\n{garbage\n";

    ParsedMetrics parsed = PrometheusText.forRaters().parse(text);

    assertEquals(List.of(new MetricSample("clawrate_x", Map.of(), 1)), parsed.samples());
    assertEquals(2, parsed.skippedLines(), "a wanted broken line and a line with no name");
    assertEquals(4, parsed.firstSkippedLine());
  }

  @Test
  void readsCommentsEscapesSpecialValuesAndTimestamps() throws Exception {
    String text =
        String.join(
            "\n",
            "# HELP m_total Help with \\\\ and \\n escapes",
            "# TYPE m_total counter",
            "# a free comment { with = \"anything\"",
            "",
            "  \t",
            "m_total{a=\"quote \\\" backslash \\\\ newline \\n end\",b=\"\"} 1.5e3",
            "m_total{ c = \"x\" , } 2 1700000000000",
            "m_total{d=\"y\"}3",
            "m_total 4 -5",
            "nan_value NaN",
            "pos_inf +Inf",
            "neg_inf -Inf",
            "inf Inf",
            "crlf 5\r",
            "colon:name_total 6",
            "");

    ParsedMetrics parsed = ALL.parse(text);

    assertEquals(0, parsed.skippedLines(), "first skipped: " + parsed.firstSkippedLine());
    List<MetricSample> samples = parsed.samples();
    assertEquals(
        new MetricSample(
            "m_total", Map.of("a", "quote \" backslash \\ newline \n end", "b", ""), 1500),
        samples.get(0));
    assertEquals(new MetricSample("m_total", Map.of("c", "x"), 2), samples.get(1));
    assertEquals(new MetricSample("m_total", Map.of("d", "y"), 3), samples.get(2));
    assertEquals(new MetricSample("m_total", Map.of(), 4), samples.get(3));
    assertTrue(Double.isNaN(samples.get(4).value()));
    assertEquals(Double.POSITIVE_INFINITY, samples.get(5).value());
    assertEquals(Double.NEGATIVE_INFINITY, samples.get(6).value());
    assertEquals(Double.POSITIVE_INFINITY, samples.get(7).value());
    assertEquals(new MetricSample("crlf", Map.of(), 5), samples.get(8));
    assertEquals(new MetricSample("colon:name_total", Map.of(), 6), samples.get(9));
    assertEquals(10, samples.size());
  }

  @Test
  void skipsAndCountsLinesItCannotRead() throws Exception {
    List<String> bad =
        List.of(
            "m{a=\"unterminated} 1",
            "m{a=\"bad escape \\t\"} 1",
            "m{a=\"x\",a=\"y\"} 1",
            "m{a=\"x\" b=\"y\"} 1",
            "m{a=x} 1",
            "m{1a=\"x\"} 1",
            "m{a=\"x\"",
            "m",
            "m{}",
            "m 1x",
            "m 0x10",
            "m 1d",
            "m Infinity",
            "m 1 2 3",
            "m 1 1.5",
            "m 1 99999999999999999999",
            "9m 1",
            "m{a=\"x\"}{b=\"y\"} 1",
            "# TYPE m",
            "# TYPE m nonsense",
            "# TYPE m counter extra",
            "# HELP",
            "# HELP 9m text");
    StringBuilder text = new StringBuilder("good_first 1\n");
    bad.forEach(line -> text.append(line).append('\n'));
    text.append("good_last 2\n");

    ParsedMetrics parsed = ALL.parse(text.toString());

    assertEquals(bad.size(), parsed.skippedLines());
    assertEquals(2, parsed.firstSkippedLine());
    assertEquals(
        List.of(
            new MetricSample("good_first", Map.of(), 1),
            new MetricSample("good_last", Map.of(), 2)),
        parsed.samples());
  }

  @Test
  void refusesABodyOverItsLimitWithoutQuotingIt() {
    PrometheusText small = new PrometheusText(64, name -> true);
    String secret = "m{token=\"t0ps3cret\"} 1\n".repeat(10);

    BodyTooLargeException fromText =
        assertThrows(BodyTooLargeException.class, () -> small.parse(secret));
    BodyTooLargeException fromStream =
        assertThrows(
            BodyTooLargeException.class,
            () ->
                small.parse(new ByteArrayInputStream(secret.getBytes(StandardCharsets.UTF_8)), -1));
    BodyTooLargeException announced =
        assertThrows(
            BodyTooLargeException.class,
            () -> small.parse(new ByteArrayInputStream(new byte[0]), 65));

    assertEquals("the body is larger than 64 bytes", fromText.getMessage());
    assertEquals(fromText.getMessage(), fromStream.getMessage());
    assertEquals(fromText.getMessage(), announced.getMessage());
  }

  @Test
  void readsABodyJustWithinItsLimit() throws Exception {
    PrometheusText small = new PrometheusText(7, name -> true);

    ParsedMetrics parsed =
        small.parse(new ByteArrayInputStream("m 1\nn 2".getBytes(StandardCharsets.UTF_8)), -1);

    assertEquals(2, parsed.samples().size());
  }

  @Test
  void parsesValuesAsGoFloatsOnly() {
    assertEquals(0.001, PrometheusText.parseValue("1.0E-3"));
    assertEquals(-2.5, PrometheusText.parseValue("-2.5"));
    assertEquals(Double.POSITIVE_INFINITY, PrometheusText.parseValue("+Inf"));
    for (String notAValue : List.of("", "1f", "0x1p3", "Infinity", "1_000", "--1", "e")) {
      NumberFormatException e =
          assertThrows(NumberFormatException.class, () -> PrometheusText.parseValue(notAValue));
      assertEquals("not a sample value", e.getMessage());
    }
  }

  @Test
  void aBadByteSequenceDoesNotStopTheParse() throws Exception {
    byte[] bytes = {'m', '{', 'a', '=', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ' ', '1', '\n'};

    ParsedMetrics parsed = ALL.parse(new ByteArrayInputStream(bytes), bytes.length);

    assertEquals(1, parsed.samples().size());
    assertFalse(parsed.samples().get(0).label("a").isEmpty());
  }

  @Test
  void aLineResumedFromTheOneBeforeReadsAsIfReadAlone() throws Exception {
    // Lines sharing beginnings of every length, with escapes, blanks, duplicates and breakage at
    // each place a resumed read could go wrong; each must read as it does on its own.
    List<String> names = List.of("m_bucket", "m_bucket_x", "m_count", "other", "m", "m_bucket ");
    List<String> labels =
        List.of(
            "a=\"1\"",
            "a=\"12\"",
            "a=\"1\\\"2\"",
            "a=\"x\\\\\"",
            "b=\"\"",
            " b = \"y\" ",
            "le=\"0.5\"",
            "le=\"+Inf\"",
            "a=\"dup\"",
            "c=\"unterminated",
            "c=\"\\t\"",
            "a=\"ü\"",
            "9=\"bad\"");
    List<String> values = List.of("0", "1", "2.5", "NaN", "-Inf", "1 1700000000000", "x", "1 2 3");
    Random random = new Random(20261129);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder line = new StringBuilder(names.get(random.nextInt(names.size())));
      if (random.nextInt(8) > 0) {
        line.append('{');
        int count = random.nextInt(4);
        for (int j = 0; j < count; j++) {
          line.append(labels.get(random.nextInt(random.nextBoolean() ? 3 : labels.size())));
          line.append(j < count - 1 || random.nextInt(5) == 0 ? "," : "");
        }
        line.append(random.nextInt(20) == 0 ? "" : "}");
      }
      line.append(random.nextInt(20) == 0 ? "" : " ")
          .append(values.get(random.nextInt(random.nextBoolean() ? 3 : values.size())));
      lines.add(random.nextInt(30) == 0 ? "# TYPE m counter" : line.toString());
    }
    PrometheusText parser = new PrometheusText(1 << 24, name -> !name.equals("other"));

    ParsedMetrics whole = parser.parse(String.join("\n", lines));

    List<MetricSample> alone = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      ParsedMetrics one = parser.parse(line);
      alone.addAll(one.samples());
      skipped += one.skippedLines();
    }
    for (int i = 0; i < Math.min(alone.size(), whole.samples().size()); i++) {
      assertEquals(alone.get(i), whole.samples().get(i), "sample " + i);
    }
    assertEquals(alone.size(), whole.samples().size());
    assertEquals(skipped, whole.skippedLines());
    assertTrue(skipped > 100 && alone.size() > 1000, skipped + " " + alone.size());
  }

  @Test
  void readsABodyOfManyBlocksAsItStreamsIn() throws Exception {
    RaterExposition rater = new RaterExposition().live("stable", 1);
    for (int i = 0; i < 300; i++) {
      rater
          .request("tenant-" + i, "stable", "ok", 1 + i % 7)
          .rating("tenant-" + i, "stable", i, "approve");
    }
    String text = rater.text();
    assertTrue(text.length() > 4 * 64 * 1024, "several blocks: " + text.length());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // A stream that gives a few bytes at a time, so lines straddle every read.
    InputStream trickle =
        new FilterInputStream(new ByteArrayInputStream(bytes)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + off % 97));
          }
        };

    ParsedMetrics parsed = PrometheusText.forRaters().parse(trickle, -1);

    assertEquals(0, parsed.skippedLines());
    assertEquals(
        text.lines().filter(line -> line.startsWith("clawrate_")).count(), parsed.samples().size());
    assertEquals(PrometheusText.forRaters().parse(text), parsed);
  }

  @Test
  void aLineOfManyLabelsIsReadAndADuplicateAmongThemRefused() throws Exception {
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      labels.append("l").append(i).append("=\"").append(i).append("\",");
    }
    String many = "m{" + labels + "} 1";
    String duplicated = "m{" + labels + "l17=\"again\"} 2";

    ParsedMetrics parsed = ALL.parse(many + "\n" + duplicated + "\n" + many);

    assertEquals(2, parsed.samples().size());
    assertEquals(5000, parsed.samples().get(0).labels().size());
    assertEquals("4999", parsed.samples().get(1).label("l4999"));
    assertEquals(1, parsed.skippedLines());
    assertEquals(2, parsed.firstSkippedLine());
  }

  @Test
  void aLineOverOneMebibyteIsLeftOutAndTheNextOnesRead() throws Exception {
    String text = "before 1\nhuge{a=\"" + "x".repeat(3 * 1024 * 1024) + "\"} 2\nafter 3\nhuge 4";

    ParsedMetrics parsed =
        ALL.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), -1);

    assertEquals(
        List.of(
            new MetricSample("before", Map.of(), 1),
            new MetricSample("after", Map.of(), 3),
            new MetricSample("huge", Map.of(), 4)),
        parsed.samples());
    assertEquals(1, parsed.skippedLines());
    assertEquals(2, parsed.firstSkippedLine());
  }

  private static MetricSample only(
      List<MetricSample> samples, String name, Map<String, String> labels) {
    List<MetricSample> matching =
        samples.stream()
            .filter(s -> s.name().equals(name))
            .filter(
                s ->
                    labels.entrySet().stream()
                        .allMatch(l -> l.getValue().equals(s.label(l.getKey()))))
            .toList();
    assertEquals(1, matching.size(), name + " " + labels + ": " + matching);
    return matching.get(0);
  }
}
