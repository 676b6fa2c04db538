package dev.clawrate.operator.alert.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SloTextTest {

  @Test
  void durationsReadAsTheSpecWritesThem() {
    assertEquals("6h", SloText.duration(Duration.ofHours(6)));
    assertEquals("1h30m", SloText.duration(Duration.ofMinutes(90)));
    assertEquals("1m30s", SloText.duration(Duration.ofSeconds(90)));
    assertEquals("2s500ms", SloText.duration(Duration.ofMillis(2_500)));
    assertEquals("0s", SloText.duration(Duration.ZERO));
    assertEquals("49h", SloText.duration(Duration.ofHours(49)));
  }

  @Test
  void numbersHaveOneDecimalRoundedHalfUp() {
    assertEquals("14.4", SloText.oneDecimal(14.399999999999986));
    assertEquals("0.1", SloText.oneDecimal(0.05));
    assertEquals("1000.0", SloText.oneDecimal(1000));
    assertEquals("1000000.0", SloText.oneDecimal(1_000_000));
    assertEquals("42", SloText.count(41.6));
  }
}
