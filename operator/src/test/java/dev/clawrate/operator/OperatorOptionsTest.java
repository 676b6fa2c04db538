package dev.clawrate.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OperatorOptionsTest {

  private static OperatorOptions parse(String... args) throws OperatorOptions.UsageException {
    return OperatorOptions.parse(args);
  }

  private static String error(String... args) {
    OperatorOptions.UsageException e =
        assertThrows(OperatorOptions.UsageException.class, () -> OperatorOptions.parse(args));
    assertNotNull(e.getMessage(), "a bad argument must say what is wrong");
    return e.getMessage();
  }

  @Test
  void defaults() throws Exception {
    OperatorOptions options = parse();
    assertFalse(options.local());
    assertNull(options.watchNamespace());
    assertNull(options.raterNamespace());
    assertNull(options.leaderElection());
    assertEquals(8081, options.healthPort());
    assertEquals(Duration.ofSeconds(600), options.moduleGcGrace());
    assertEquals(8080, options.raterPort());
    assertEquals(0, options.apiPort());
  }

  @Test
  void prometheusPerRegionAndTheCanaryDemo() throws Exception {
    OperatorOptions options =
        parse(
            "--prometheus-url",
            "local=https://prometheus.monitoring:9090",
            "--prometheus-url",
            "eu-west=http://prom.eu:9090/prefix");
    assertEquals(
        java.util.Map.of(
            "local",
            java.net.URI.create("https://prometheus.monitoring:9090"),
            "eu-west",
            java.net.URI.create("http://prom.eu:9090/prefix")),
        options.prometheusUrls());
    assertFalse(options.demoCanary());
    assertTrue(parse("local", "--demo-canary").demoCanary());
    assertTrue(error("--demo-canary").contains("only applies to 'local'"));
    assertTrue(error("--prometheus-url", "https://prom:9090").contains("REGION=URL"));
    assertTrue(error("--prometheus-url", "Bad_Region=https://prom").contains("DNS label"));
    String refused = error("--prometheus-url", "local=ftp://prom/secret-token");
    assertTrue(refused.contains("not an http(s) URL"));
    assertFalse(refused.contains("secret-token"), "the URL is not echoed");
  }

  @Test
  void everyOption() throws Exception {
    OperatorOptions options =
        parse(
            "--namespace",
            "team-a",
            "--rater-namespace",
            "raters",
            "--leader-election",
            "false",
            "--health-port",
            "0",
            "--module-gc-grace-seconds",
            "30");
    assertEquals("team-a", options.watchNamespace());
    assertEquals("raters", options.raterNamespace());
    assertEquals(Boolean.FALSE, options.leaderElection());
    assertEquals(0, options.healthPort());
    assertEquals(Duration.ofSeconds(30), options.moduleGcGrace());
    assertEquals(Boolean.TRUE, parse("--leader-election", "true").leaderElection());
  }

  @Test
  void localWithRaterAndApiPort() throws Exception {
    OperatorOptions options = parse("local", "--rater-port", "9090", "--api-port", "0");
    assertTrue(options.local());
    assertEquals(9090, options.raterPort());
    assertEquals(0, options.apiPort());
    assertTrue(parse("local").local());
    assertEquals(8080, parse("local").raterPort());
  }

  @Test
  void localOnlyOptionsAreRefusedWithoutLocal() {
    assertTrue(error("--rater-port", "9090").contains("--rater-port"));
    assertTrue(error("--api-port", "1234").contains("--api-port"));
  }

  @Test
  void localMustComeFirst() {
    assertTrue(error("--namespace", "a", "local").contains("local"));
  }

  @Test
  void badValues() {
    assertTrue(error("--health-port", "abc").contains("--health-port"));
    assertTrue(error("--health-port", "65536").contains("65536"));
    assertTrue(error("--health-port", "-1").contains("--health-port"));
    assertTrue(error("--module-gc-grace-seconds", "1.5").contains("--module-gc-grace-seconds"));
    assertTrue(error("--module-gc-grace-seconds", "604801").contains("604801"));
    assertTrue(error("--leader-election", "yes").contains("yes"));
    assertTrue(error("local", "--rater-port", "70000").contains("--rater-port"));
  }

  @Test
  void missingValue() {
    assertTrue(error("--namespace").contains("--namespace"));
    assertTrue(error("--health-port").contains("--health-port"));
    assertTrue(error("local", "--rater-port").contains("--rater-port"));
  }

  @Test
  void unknownOption() {
    assertTrue(error("--verbose").contains("--verbose"));
    assertTrue(error("serve").contains("serve"));
  }

  @Test
  void helpIsAUsageExceptionWithoutMessage() {
    for (String help : new String[] {"--help", "-h"}) {
      OperatorOptions.UsageException e =
          assertThrows(
              OperatorOptions.UsageException.class,
              () -> OperatorOptions.parse(new String[] {help}));
      assertNull(e.getMessage());
    }
    OperatorOptions.UsageException e =
        assertThrows(
            OperatorOptions.UsageException.class,
            () -> OperatorOptions.parse(new String[] {"local", "--rater-port", "1", "--help"}));
    assertNull(e.getMessage());
    assertTrue(OperatorOptions.USAGE.contains("--rater-port"));
  }
}
