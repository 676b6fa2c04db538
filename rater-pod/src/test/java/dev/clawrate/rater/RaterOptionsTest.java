package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.InstancePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RaterOptionsTest {

  @Test
  void parsesTheDocumentedCommandLine() throws Exception {
    RaterOptions options =
        RaterOptions.parse(
            new String[] {
              "--config-dir", "cfg", "--port", "9000", "--track", "canary", "--interpreter"
            });
    assertEquals(Path.of("cfg"), options.configDir());
    assertEquals(9000, options.port());
    assertEquals(RaterOptions.DEFAULT_HEALTH_PORT, options.healthPort());
    assertEquals("canary", options.track());
    assertEquals(ExecutionMode.INTERPRETED, options.executionMode());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port 80                      | either --config-dir or --kube is required",
        "--config-dir d --port x        | --port must be an integer, got 'x'",
        "--config-dir d --port 70000    | --port must be between 0 and 65535, got '70000'",
        "--config-dir d --health-port x | --health-port must be an integer, got 'x'",
        "--config-dir d --port 9000 --health-port 9000 | --port and --health-port must differ, both are 9000",
        "--config-dir d --health-port 8080 | --port and --health-port must differ, both are 8080",
        "--config-dir d --track blue    | --track must be stable or canary, got 'blue'",
        "--config-dir d --bogus         | unknown option '--bogus'",
        "--config-dir                   | --config-dir needs a value",
        "--config-dir d --shadow-threads 0 | --shadow-threads must be between 1 and 64, got '0'",
        "--config-dir d --shadow-threads x | --shadow-threads must be an integer, got 'x'",
        "--config-dir d --shadow-queue 0 | --shadow-queue must be between 1 and 100000, got '0'",
        "--config-dir d --shadow-queue    | --shadow-queue needs a value",
        "--config-dir d --model-memory-mib 0 | --model-memory-mib must be between 1 and 1048576, got '0'",
        "--config-dir d --model-memory-share-percent 101 | --model-memory-share-percent must be between 1 and 100, got '101'",
        "--config-dir d --idle-instance-seconds 0 | --idle-instance-seconds must be between 1 and 86400, got '0'",
        "--config-dir d --audit-log f --audit-sample-rate 2 | --audit-sample-rate must be a number from 0 to 1, got '2'",
        "--config-dir d --audit-input-tenants acme | --audit-input-tenants needs --audit-log",
        "--config-dir d --audit-log f --audit-queue 0 | --audit-queue must be between 1 and 1000000, got '0'",
      })
  void rejectsBadArgumentsWithAMessage(String args, String message) {
    var e =
        assertThrows(
            RaterOptions.UsageException.class, () -> RaterOptions.parse(args.trim().split("\\s+")));
    assertEquals(message, e.getMessage());
  }

  @Test
  void shadowsGetOneThreadAndAQueueOf64UnlessToldOtherwise() throws Exception {
    RaterOptions defaults = RaterOptions.parse(new String[] {"--config-dir", "d"});
    assertEquals(1, defaults.shadowThreads());
    assertEquals(64, defaults.shadowQueue());
    RaterOptions given =
        RaterOptions.parse(
            new String[] {"--config-dir", "d", "--shadow-threads", "2", "--shadow-queue", "500"});
    assertEquals(2, given.shadowThreads());
    assertEquals(500, given.shadowQueue());
    assertTrue(RaterOptions.usage().contains("--shadow-threads N"));
    assertTrue(RaterOptions.usage().contains("--shadow-queue N"));
  }

  @Test
  void modelMemoryIsHalfTheHeapAndIdleInstancesLastAMinuteUnlessToldOtherwise() throws Exception {
    InstancePolicy defaults =
        RaterOptions.parse(new String[] {"--config-dir", "d"}).instancePolicy();
    assertEquals(Runtime.getRuntime().maxMemory() / 100 * 50, defaults.memoryBudgetBytes());
    assertEquals(50, defaults.modelSharePercent());
    assertEquals(Duration.ofSeconds(60), defaults.idleTimeout());
    InstancePolicy given =
        RaterOptions.parse(
                new String[] {
                  "--config-dir",
                  "d",
                  "--model-memory-mib",
                  "512",
                  "--model-memory-share-percent",
                  "25",
                  "--idle-instance-seconds",
                  "5"
                })
            .instancePolicy();
    assertEquals(512L * 1024 * 1024, given.memoryBudgetBytes());
    assertEquals(128L * 1024 * 1024, given.modelShareBytes());
    assertEquals(Duration.ofSeconds(5), given.idleTimeout());
    assertTrue(RaterOptions.usage().contains("--model-memory-mib N"));
  }

  @Test
  void theDecisionLogIsOffUnlessAFileIsGiven() throws Exception {
    assertFalse(RaterOptions.parse(new String[] {"--config-dir", "d"}).audit().enabled());
    RaterOptions given =
        RaterOptions.parse(
            new String[] {
              "--config-dir",
              "d",
              "--audit-log",
              "/tmp/d.jsonl",
              "--audit-sample-rate",
              "0.1",
              "--audit-input-tenants",
              "acme,beta"
            });
    assertTrue(given.audit().enabled());
    assertEquals(Path.of("/tmp/d.jsonl"), given.audit().file());
    assertEquals(0.1, given.audit().sampleRate());
    assertEquals(java.util.Set.of("acme", "beta"), given.audit().inputTenants());
    assertTrue(RaterOptions.usage().contains("--audit-log FILE"));
  }

  @Test
  void helpIsAUsageRequestWithoutAnError() {
    var e =
        assertThrows(
            RaterOptions.UsageException.class, () -> RaterOptions.parse(new String[] {"--help"}));
    assertNull(e.getMessage());
  }

  @Test
  void bothPortsMayBeChosenByTheSystem() throws Exception {
    RaterOptions options =
        RaterOptions.parse(new String[] {"--config-dir", "d", "--port", "0", "--health-port", "0"});
    assertEquals(0, options.port());
    assertEquals(0, options.healthPort());
    assertEquals(
        9091,
        RaterOptions.parse(new String[] {"--config-dir", "d", "--health-port", "9091"})
            .healthPort());
  }

  @Test
  void defaultsComeFromTheEnvironmentAndAreCheckedAlike() throws Exception {
    Map<String, String> env =
        Map.of(
            "CLAWRATE_RATER_PORT", "9000",
            "CLAWRATE_RATER_CONFIG_DIR", "cfg",
            "CLAWRATE_RATER_INTERPRETER", "true");
    RaterOptions options = RaterOptions.parse(new String[0], env);
    assertEquals(9000, options.port());
    assertEquals(Path.of("cfg"), options.configDir());
    assertEquals(ExecutionMode.INTERPRETED, options.executionMode());
    assertEquals(9001, RaterOptions.parse(new String[] {"--port", "9001"}, env).port());
    var e =
        assertThrows(
            RaterOptions.UsageException.class,
            () ->
                RaterOptions.parse(
                    new String[] {"--config-dir", "d"}, Map.of("CLAWRATE_RATER_PORT", "x")));
    assertEquals("--port must be an integer, got 'x'", e.getMessage());
  }

  @Test
  void theHelpListsEveryOptionWithItsDefault() {
    String usage = RaterOptions.usage();
    for (String option :
        new String[] {
          "--config-dir DIR",
          "--kube",
          "--port N",
          "--health-port N",
          "--track stable|canary",
          "--rate-on-network-threads auto|always|never",
          "--interpreter",
          "--shadow-queue N"
        }) {
      assertTrue(usage.contains(option), option);
    }
    assertTrue(usage.contains("(default 8080)"), usage);
    assertTrue(usage.contains("CLAWRATE_RATER_PORT"), usage);
  }
}
