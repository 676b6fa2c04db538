package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleValuesTest {

  @Test
  void everyDecimalReadsAsJavaReadsIt() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      String text = decimal(random);
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(text)),
          Double.doubleToRawLongBits(SampleValues.parse(text)),
          text);
    }
  }

  @Test
  void theFormsMicrometerAndPrometheusWrite() {
    for (String text :
        List.of(
            "0",
            "0.0",
            "-0.0",
            "1.0",
            "12.0",
            "1.0E-4",
            "2.5E-4",
            "0.0025",
            "1.7000000000000001E9",
            "123456789012345",
            "1234567890123456789",
            "9007199254740993",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "4.9e-324",
            "1.7976931348623157e308",
            "1e400",
            "1e-400",
            ".5",
            "5.",
            "+1")) {
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(text)),
          Double.doubleToRawLongBits(SampleValues.parse(text)),
          text);
    }
    assertEquals(Double.NEGATIVE_INFINITY, SampleValues.parse("-inf"));
    assertEquals(Double.POSITIVE_INFINITY, SampleValues.parse("INF"));
    assertEquals(Double.NaN, SampleValues.parse("nAn"));
  }

  @Test
  void refusesWhatIsNoValue() {
    for (String text :
        List.of(
            "",
            ".",
            "+",
            "-",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1-2",
            "--1",
            "+-1",
            "1f",
            "1d",
            "0x10",
            "Infinity",
            "+nan",
            "inf1",
            "1 ",
            "\u0661",
            "1".repeat(65))) {
      assertThrows(NumberFormatException.class, () -> SampleValues.parse(text), text);
    }
  }

  private static String decimal(Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextInt(4) == 0) {
      text.append(random.nextBoolean() ? '-' : '+');
    }
    int digits = 1 + random.nextInt(random.nextBoolean() ? 6 : 20);
    int point = random.nextInt(digits + 1);
    for (int i = 0; i < digits; i++) {
      if (i == point) {
        text.append('.');
      }
      text.append((char) ('0' + random.nextInt(10)));
    }
    if (random.nextInt(3) == 0) {
      text.append(random.nextBoolean() ? 'e' : 'E');
      int exponent = random.nextInt(60) - 30;
      text.append(String.format(Locale.ROOT, "%d", exponent));
    }
    return text.toString();
  }
}
