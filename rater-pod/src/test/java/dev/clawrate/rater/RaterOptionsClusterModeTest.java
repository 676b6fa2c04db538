package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RaterOptionsClusterModeTest {

  @Test
  void parsesClusterMode() throws Exception {
    RaterOptions options =
        RaterOptions.parse(
            new String[] {
              "--kube",
              "--namespace",
              "raters",
              "--state-dir",
              "/var/lib/clawrate",
              "--kube-sync-timeout-seconds",
              "3",
              "--pod-name",
              "rater-7d9f-x2k.zone-a",
              "--heartbeat-seconds",
              "2"
            });
    assertNull(options.configDir());
    assertEquals(
        new RaterOptions.KubeOptions(
            "raters",
            Path.of("/var/lib/clawrate"),
            Duration.ofSeconds(3),
            "rater-7d9f-x2k.zone-a",
            Duration.ofSeconds(2)),
        options.kube());
  }

  @Test
  void clusterModeDefaultsLeaveTheNamespaceToTheEnvironment() throws Exception {
    RaterOptions options = RaterOptions.parse(new String[] {"--kube"});
    assertEquals(
        new RaterOptions.KubeOptions(
            null,
            null,
            Duration.ofSeconds(10),
            null,
            Duration.ofSeconds(HeartbeatLayout.DEFAULT_RENEW_SECONDS)),
        options.kube());
    assertEquals("kube", options.describe().get("source"));
  }

  @Test
  void directoryModeHasNoClusterOptions() throws Exception {
    RaterOptions options = RaterOptions.parse(new String[] {"--config-dir", "cfg"});
    assertNull(options.kube());
    assertEquals("cfg", options.describe().get("configDir"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--kube --config-dir d                   | --config-dir and --kube are mutually exclusive",
        "--config-dir d --kube                   | --config-dir and --kube are mutually exclusive",
        "--namespace ns                          | either --config-dir or --kube is required",
        "--config-dir d --namespace ns           | --namespace applies only with --kube",
        "--config-dir d --state-dir s            | --state-dir applies only with --kube",
        "--config-dir d --kube-sync-timeout-seconds 1 | --kube-sync-timeout-seconds applies only with --kube",
        "--kube --namespace                      | --namespace needs a value",
        "--kube --kube-sync-timeout-seconds -1   | --kube-sync-timeout-seconds must be between 0 and 3600, got '-1'",
        "--config-dir d --pod-name p             | --pod-name applies only with --kube",
        "--config-dir d --heartbeat-seconds 5    | --heartbeat-seconds applies only with --kube",
        "--kube --heartbeat-seconds 0            | --heartbeat-seconds must be between 1 and 300, got '0'",
        "--kube --heartbeat-seconds 301          | --heartbeat-seconds must be between 1 and 300, got '301'",
        "--kube --pod-name Rater_1               | --pod-name must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253), got 'Rater_1'",
        "--kube --pod-name rater/../x            | --pod-name must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253), got 'rater/../x'",
        "--kube --namespace ns/x                 | --namespace must be a DNS label (lowercase letters, digits and '-', at most 63), got 'ns/x'",
        "--kube --namespace a.b                  | --namespace must be a DNS label (lowercase letters, digits and '-', at most 63), got 'a.b'",
      })
  void rejectsBadClusterArgumentsWithAMessage(String args, String message) {
    var e =
        assertThrows(
            RaterOptions.UsageException.class, () -> RaterOptions.parse(args.trim().split("\\s+")));
    assertEquals(message, e.getMessage());
  }

  @Test
  void aPodNameMayBeAsLongAsASubdomainAndNoLonger() throws Exception {
    String longest =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    assertEquals(253, longest.length());
    assertEquals(
        longest,
        RaterOptions.parse(new String[] {"--kube", "--pod-name", longest}).kube().podName());
    assertThrows(
        RaterOptions.UsageException.class,
        () -> RaterOptions.parse(new String[] {"--kube", "--pod-name", longest + "d"}));
  }
}
