package dev.clawrate.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.egress.Cidr;
import dev.clawrate.operator.egress.EgressPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    assertNull(options.watchNamespace());
    assertNull(options.raterNamespace());
    assertNull(options.leaderElection());
    assertEquals(8081, options.healthPort());
    assertEquals(Duration.ofSeconds(600), options.moduleGcGrace());
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
    assertTrue(error("--demo-canary").contains("only applies to 'local'"));
    assertTrue(error("--prometheus-url", "https://prom:9090").contains("REGION=URL"));
    assertTrue(error("--prometheus-url", "Bad_Region=https://prom").contains("DNS label"));
    String refused = error("--prometheus-url", "local=ftp://prom/secret-token");
    assertTrue(refused.contains("not an http(s) URL"));
    assertFalse(refused.contains("secret-token"), "the URL is not echoed");
  }

  @Test
  void egressBlocksAndTheClusterDomain() throws Exception {
    EgressPolicy defaults = parse().egressPolicy();
    assertEquals(EgressPolicy.defaults(), defaults, "nothing allowed or denied by default");
    assertEquals("cluster.local", defaults.clusterDomain());

    OperatorOptions options =
        parse(
            "--egress-allow",
            "10.20.0.0/16",
            "--egress-allow",
            "fd00:42::/64",
            "--egress-deny",
            "10.96.0.0/12",
            "--egress-deny",
            "10.244.0.0/16",
            "--cluster-domain",
            "corp.example");
    EgressPolicy policy = options.egressPolicy();
    assertEquals(List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("fd00:42::/64")), policy.allow());
    assertEquals(List.of(Cidr.parse("10.96.0.0/12"), Cidr.parse("10.244.0.0/16")), policy.deny());
    assertEquals("corp.example", policy.clusterDomain());

    String hostBits = error("--egress-allow", "10.0.0.1/8");
    assertTrue(hostBits.startsWith("--egress-allow: "), hostBits);
    assertTrue(hostBits.contains("past the prefix length"), hostBits);
    assertTrue(error("--egress-deny", "10.96.0.0").contains("--egress-deny"));
    assertTrue(error("--egress-deny", "cluster.local/16").contains("not an IPv4 or IPv6"));
    assertTrue(error("--egress-allow").contains("needs a value"));
    assertTrue(error("--cluster-domain", "Cluster_Local").contains("--cluster-domain"));
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
  }

  @Test
  void missingValue() {
    assertTrue(error("--namespace").contains("--namespace"));
    assertTrue(error("--health-port").contains("--health-port"));
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
  }

  @Test
  void defaultsComeFromTheEnvironmentAndAreCheckedAlike() throws Exception {
    Map<String, String> env =
        Map.of(
            "CLAWRATE_OPERATOR_HEALTH_PORT", "9091",
            "CLAWRATE_OPERATOR_EGRESS_DENY", "10.96.0.0/12,10.244.0.0/16",
            "CLAWRATE_OPERATOR_ALLOW_HTTP_RECEIVERS", "true");
    OperatorOptions options = OperatorOptions.parse(new String[0], env);
    assertEquals(9091, options.healthPort());
    assertEquals(
        List.of(Cidr.parse("10.96.0.0/12"), Cidr.parse("10.244.0.0/16")),
        options.egressPolicy().deny());
    assertTrue(options.alerts().plainHttpReceivers());
    assertEquals(0, OperatorOptions.parse(new String[] {"--health-port", "0"}, env).healthPort());
    OperatorOptions.UsageException e =
        assertThrows(
            OperatorOptions.UsageException.class,
            () ->
                OperatorOptions.parse(
                    new String[0], Map.of("CLAWRATE_OPERATOR_LEADER_ELECTION", "yes")));
    assertEquals("--leader-election must be true or false, got 'yes'", e.getMessage());
  }

  @Test
  void theHelpListsEveryOptionWithItsDefault() {
    String usage = OperatorOptions.usage();
    for (String option :
        new String[] {
          "--namespace NS",
          "--health-port N",
          "--prometheus-url REGION=URL",
          "--egress-deny CIDR",
          "--slo-interval DURATION",
          "--allow-http-receivers"
        }) {
      assertTrue(usage.contains(option), option);
    }
    assertTrue(usage.contains("(default 8081)"), usage);
    assertTrue(usage.contains("CLAWRATE_OPERATOR_"), usage);
    assertFalse(usage.contains("--rater-port"), "the local run's options are its own");
  }
}
