package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeNamesTest {

  @ParameterizedTest
  @CsvSource({
    "clawrate-system, true, true",
    "a, true, true",
    "rater-0.zone-a, false, true",
    "Clawrate, false, false",
    "-rater, false, false",
    "rater-, false, false",
    "a..b, false, false",
    "ns/x, false, false",
    "'', false, false",
    "rater_0, false, false",
  })
  void tellsLabelsAndSubdomains(String name, boolean label, boolean subdomain) {
    assertEquals(label, KubeNames.isDnsLabel(name), "label");
    assertEquals(subdomain, KubeNames.isDnsSubdomain(name), "subdomain");
  }

  @org.junit.jupiter.api.Test
  void lengthsAreBounded() {
    assertTrue(KubeNames.isDnsLabel("a".repeat(63)));
    assertFalse(KubeNames.isDnsLabel("a".repeat(64)));
    assertFalse(KubeNames.isDnsSubdomain(null));
    assertFalse(KubeNames.isDnsLabel(null));
  }
}
