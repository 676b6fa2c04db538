package dev.clawrate.rater.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditSettingsTest {

  @Test
  void parsesTheCommandLinesWords() {
    AuditSettings settings = AuditSettings.parse("/var/log/d.jsonl", "0.25", " a, b ,,", 7);
    assertEquals(Path.of("/var/log/d.jsonl"), settings.file());
    assertEquals(0.25, settings.sampleRate());
    assertEquals(Set.of("a", "b"), settings.inputTenants());
    assertEquals(7, settings.queue());
    assertTrue(settings.enabled());
  }

  @Test
  void withoutAFileOrWithRateZeroTheLogIsOff() {
    assertFalse(AuditSettings.parse(null, "1", null, 1).enabled());
    assertFalse(AuditSettings.parse("", "1", "", 1).enabled());
    assertFalse(AuditSettings.parse("/tmp/d.jsonl", "0", null, 1).enabled());
  }

  @Test
  void badValuesNameTheirOption() {
    for (String rate : new String[] {"-0.1", "1.5", "NaN", "half", ""}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> AuditSettings.parse("/tmp/d", rate, null, 1));
      assertTrue(e.getMessage().startsWith("--audit-sample-rate"), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AuditSettings.parse(null, "1", "acme", 1));
    assertTrue(e.getMessage().contains("--audit-log"), e.getMessage());
  }
}
