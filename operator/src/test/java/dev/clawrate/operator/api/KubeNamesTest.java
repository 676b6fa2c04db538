package dev.clawrate.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class KubeNamesTest {

  private static void assertRefused(UnaryOperator<String> check, String name, String why) {
    String answer = check.apply(name);
    assertEquals(why, answer, "for " + name);
  }

  private static void assertNoEcho(UnaryOperator<String> check, List<String> names) {
    for (String name : names) {
      String why = check.apply(name);
      assertNotNull(why, name);
      assertFalse(why.contains(name), why);
    }
  }

  @Test
  void dnsSubdomains() {
    UnaryOperator<String> check = KubeNames::whyNotDnsSubdomain;
    for (String good :
        List.of("a", "0", "scorer", "scorer-module", "clawrate.model.v2", "a".repeat(253))) {
      assertNull(check.apply(good), good);
    }
    String chars = "may contain only lowercase letters, digits, '-' and '.'";
    String ends =
        "must start and end with a lowercase letter or digit, and so must each part between dots";
    assertRefused(check, null, "is missing");
    assertRefused(check, "", "is empty");
    assertRefused(check, "a".repeat(254), "is longer than 253 characters");
    assertRefused(check, "a".repeat(300), "is longer than 253 characters");
    assertRefused(check, "../../team-b/secrets/db-creds", chars);
    assertRefused(check, "a/b", chars);
    assertRefused(check, "Scorer", chars);
    assertRefused(check, "scorer_1", chars);
    assertRefused(check, "sc%2Fo", chars);
    assertRefused(check, "new\nline", chars);
    assertRefused(check, "..", ends);
    assertRefused(check, ".", ends);
    assertRefused(check, "a..b", ends);
    assertRefused(check, "-a", ends);
    assertRefused(check, "a-", ends);
    assertRefused(check, "a.-b", ends);
    assertRefused(check, "a.", ends);
  }

  @Test
  void dnsLabels() {
    UnaryOperator<String> check = KubeNames::whyNotDnsLabel;
    for (String good : List.of("a", "team-a", "default", "a".repeat(63))) {
      assertNull(check.apply(good), good);
    }
    String chars = "may contain only lowercase letters, digits and '-'";
    assertRefused(check, null, "is missing");
    assertRefused(check, "", "is empty");
    assertRefused(check, "a".repeat(64), "is longer than 63 characters");
    assertRefused(check, "team.a", chars);
    assertRefused(check, "team/a", chars);
    assertRefused(check, "..", chars);
    assertRefused(check, "Team-a", chars);
    assertRefused(check, "-team", "must start and end with a lowercase letter or digit");
    assertRefused(check, "team-", "must start and end with a lowercase letter or digit");
  }

  @Test
  void configMapKeys() {
    UnaryOperator<String> check = KubeNames::whyNotConfigMapKey;
    for (String good :
        List.of("scorecard.wasm", "Model_V2.wasm", "-x", ".hidden", "a..b", "k".repeat(253))) {
      assertNull(check.apply(good), good);
    }
    String chars = "may contain only letters, digits, '-', '_' and '.'";
    assertRefused(check, null, "is missing");
    assertRefused(check, "", "is empty");
    assertRefused(check, "k".repeat(254), "is longer than 253 characters");
    assertRefused(check, "dir/module.wasm", chars);
    assertRefused(check, "module wasm", chars);
    assertRefused(check, "módulo", chars);
    assertRefused(check, ".", "must not be '.' or start with '..'");
    assertRefused(check, "..", "must not be '.' or start with '..'");
    assertRefused(check, "..data", "must not be '.' or start with '..'");
  }

  @Test
  void objectPaths() {
    assertNull(KubeNames.whyNotObjectPath("team-a", "credit.scorecard"));
    assertEquals(
        "metadata.namespace may contain only lowercase letters, digits and '-'",
        KubeNames.whyNotObjectPath("a/../kube-system", "scorer"));
    assertEquals(
        "metadata.name may contain only lowercase letters, digits, '-' and '.'",
        KubeNames.whyNotObjectPath("team-a", "a/../../b"));
    assertEquals("metadata.namespace is missing", KubeNames.whyNotObjectPath(null, "scorer"));
  }

  @Test
  void noAnswerQuotesTheName() {
    List<String> hostile =
        List.of("../../team-b/secrets/db-creds", "x/" + "y".repeat(300), "evil\u0000name/");
    assertNoEcho(KubeNames::whyNotDnsSubdomain, hostile);
    assertNoEcho(KubeNames::whyNotDnsLabel, hostile);
    assertNoEcho(KubeNames::whyNotConfigMapKey, hostile);
  }
}
