package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.rater.http.HttpLimits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RaterOptionsHttpLimitsTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() throws Exception {
    assertEquals(
        HttpLimits.defaults(), RaterOptions.parse(new String[] {"--config-dir", "d"}).httpLimits());
  }

  @Test
  void everyLimitCanBeSetOnTheCommandLineOrInTheEnvironment() throws Exception {
    Map<String, String> env =
        Map.of(
            "CLAWRATE_RATER_HEADER_TIMEOUT_SECONDS", "3",
            "CLAWRATE_RATER_MAX_CONNECTIONS", "50");
    HttpLimits limits =
        RaterOptions.parse(
                new String[] {
                  "--config-dir", "d",
                  "--body-timeout-seconds", "4",
                  "--idle-timeout-seconds", "5",
                  "--max-header-bytes", "4096",
                  "--max-headers", "20",
                  "--max-health-connections", "7"
                },
                env)
            .httpLimits();
    assertEquals(
        new HttpLimits(
            Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5), 4096, 20, 50, 7),
        limits);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--header-timeout-seconds 0 | --header-timeout-seconds must be between 1 and 3600, got '0'",
        "--body-timeout-seconds x   | --body-timeout-seconds must be an integer, got 'x'",
        "--max-header-bytes 100     | --max-header-bytes must be between 1024 and 1048576, got '100'",
        "--max-headers 2            | --max-headers must be between 8 and 10000, got '2'",
        "--max-connections 0        | --max-connections must be between 1 and 1000000, got '0'",
      })
  void rejectsBadLimitsWithAMessage(String args, String message) {
    String[] given = ("--config-dir d " + args.trim()).split("\\s+");
    var e = assertThrows(RaterOptions.UsageException.class, () -> RaterOptions.parse(given));
    assertEquals(message, e.getMessage());
  }
}
