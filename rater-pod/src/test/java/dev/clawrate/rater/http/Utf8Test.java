package dev.clawrate.rater.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"name\":\"plain ASCII\"}",
        "Zoë, Ærøskøbing, Łódź",
        "日本語のテキスト",
        "emoji 😀 and U+10FFFF \uDBFF\uDFFF",
        "U+FFFF \uFFFF and U+E000 \uE000 and U+D7FF \uD7FF"
      })
  void acceptsWhatJavaEncodes(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(-1, Utf8.firstInvalid(bytes, bytes.length));
  }

  @ParameterizedTest
  @CsvSource({
    "41c0af, 1", // overlong '/'
    "c180, 0", // overlong, two bytes
    "e080af, 0", // overlong, three bytes
    "f08080af, 0", // overlong, four bytes
    "eda080, 0", // lone high surrogate U+D800
    "edbfbf, 0", // lone low surrogate U+DFFF
    "f4908080, 0", // above U+10FFFF
    "f5808080, 0", // no such lead byte
    "ff, 0",
    "80, 0", // continuation without a lead
    "4142e282, 2", // truncated at the end
    "e228a1, 0", // a lead followed by ASCII
    "f0908028, 0" // the fourth byte is not a continuation
  })
  void reportsTheFirstInvalidSequence(String hex, int offset) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertEquals(offset, Utf8.firstInvalid(bytes, bytes.length));
  }

  @Test
  void looksOnlyAtTheValidLength() {
    byte[] bytes = {'a', 'b', (byte) 0xC0};
    assertEquals(-1, Utf8.firstInvalid(bytes, 2));
  }
}
