package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
              "3"
            });
    assertNull(options.configDir());
    assertEquals(
        new RaterOptions.KubeOptions("raters", Path.of("/var/lib/clawrate"), Duration.ofSeconds(3)),
        options.kube());
  }

  @Test
  void clusterModeDefaultsLeaveTheNamespaceToTheEnvironment() throws Exception {
    RaterOptions options = RaterOptions.parse(new String[] {"--kube"});
    assertEquals(new RaterOptions.KubeOptions(null, null, Duration.ofSeconds(10)), options.kube());
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
      })
  void rejectsBadClusterArgumentsWithAMessage(String args, String message) {
    var e =
        assertThrows(
            RaterOptions.UsageException.class, () -> RaterOptions.parse(args.trim().split("\\s+")));
    assertEquals(message, e.getMessage());
  }
}
