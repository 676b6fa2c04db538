package dev.clawrate.rater.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PodNameTest {

  @Test
  void theCommandLineWinsThenThePodsOwnName() {
    assertEquals("cli", PodName.resolve("cli", "pod-0", "host", new Random(1)));
    assertEquals("pod-0", PodName.resolve(null, "pod-0", "host", new Random(1)));
  }

  @Test
  void withoutEitherTheHostNameTakesARandomSuffix() {
    String first = PodName.resolve(null, null, "Build-Box_7.local", new Random(1));
    String second = PodName.resolve(null, "", "Build-Box_7.local", new Random(2));
    assertTrue(first.matches("build-box-7-local-[a-z0-9]{5}"), first);
    assertTrue(second.startsWith("build-box-7-local-"), second);
    assertNotEquals(first, second, "two raters on one host must not share a Lease");
  }

  @Test
  void anyHostNameGivesAValidName() {
    for (String host : new String[] {null, "", "___", "-x-", "é", "h".repeat(400)}) {
      String name = PodName.resolve(null, null, host, new Random(3));
      assertTrue(KubeNames.isDnsSubdomain(name), host + " gave " + name);
    }
    assertTrue(PodName.resolve(null, null, "___", new Random(3)).startsWith("rater-"));
  }

  @Test
  void aPodNameFromTheEnvironmentIsChecked() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PodName.resolve(null, "Bad/Name", "host", new Random(1)));
    assertEquals("$POD_NAME is not a DNS subdomain; pass --pod-name", e.getMessage());
  }
}
