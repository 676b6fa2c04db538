package dev.clawrate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.OperatorOptions.UsageException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {

  private static LocalOptions parse(String... args) throws UsageException {
    return LocalOptions.parse(args, Map.of());
  }

  private static String error(String... args) {
    UsageException e = assertThrows(UsageException.class, () -> LocalOptions.parse(args, Map.of()));
    assertNotNull(e.getMessage(), "a bad argument must say what is wrong");
    return e.getMessage();
  }

  @Test
  void defaults() throws Exception {
    LocalOptions options = parse();
    assertEquals(8080, options.raterPort());
    assertEquals(0, options.apiPort());
    assertFalse(options.demoCanary());
    assertEquals(Duration.ofSeconds(600), options.operator().moduleGcGrace());
  }

  @Test
  void localWithRaterAndApiPortAndTheCanaryDemo() throws Exception {
    LocalOptions options = parse("--rater-port", "9090", "--api-port", "0", "--demo-canary");
    assertEquals(9090, options.raterPort());
    assertEquals(0, options.apiPort());
    assertTrue(options.demoCanary());
  }

  @Test
  void theOperatorsOptionsToo() throws Exception {
    LocalOptions options = parse("--egress-allow", "10.20.0.0/16", "--slo-interval", "5s");
    assertEquals(1, options.egressPolicy().allow().size());
    assertEquals(Duration.ofSeconds(5), options.alerts().interval());
    assertTrue(error("--health-port", "abc").contains("--health-port"));
  }

  @Test
  void badAndMissingValues() {
    assertTrue(error("--rater-port", "70000").contains("--rater-port"));
    assertTrue(error("--rater-port").contains("--rater-port"));
    assertEquals("--api-port must be an integer, got 'x'", error("--api-port", "x"));
    assertEquals("unknown option 'local'", error("local"));
  }

  @Test
  void defaultsFromTheEnvironment() throws Exception {
    Map<String, String> env =
        Map.of("CLAWRATE_LOCAL_RATER_PORT", "9191", "CLAWRATE_LOCAL_DEMO_CANARY", "true");
    LocalOptions options = LocalOptions.parse(new String[0], env);
    assertEquals(9191, options.raterPort());
    assertTrue(options.demoCanary());
    assertEquals(7, LocalOptions.parse(new String[] {"--rater-port", "7"}, env).raterPort());
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> LocalOptions.parse(new String[0], Map.of("CLAWRATE_LOCAL_API_PORT", "-3")));
    assertEquals("--api-port must be between 0 and 65535, got '-3'", e.getMessage());
  }

  @Test
  void helpIsAUsageExceptionWithoutMessage() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> LocalOptions.parse(new String[] {"--rater-port", "1", "--help"}, Map.of()));
    assertNull(e.getMessage());
    String usage = LocalOptions.usage();
    assertTrue(usage.contains("--rater-port"));
    assertTrue(usage.contains("--egress-allow"), "the operator's options are the local run's too");
    assertTrue(usage.contains("clawrate-local.jar"));
  }
}
