package dev.clawrate.rater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.rater.engine.ExecutionMode;
import java.nio.file.Path;
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
        "--config-dir d --track blue    | --track must be stable or canary, got 'blue'",
        "--config-dir d --bogus         | unknown option '--bogus'",
        "--config-dir                   | --config-dir needs a value",
      })
  void rejectsBadArgumentsWithAMessage(String args, String message) {
    var e =
        assertThrows(
            RaterOptions.UsageException.class, () -> RaterOptions.parse(args.trim().split("\\s+")));
    assertEquals(message, e.getMessage());
  }

  @Test
  void helpIsAUsageRequestWithoutAnError() {
    var e =
        assertThrows(
            RaterOptions.UsageException.class, () -> RaterOptions.parse(new String[] {"--help"}));
    assertNull(e.getMessage());
  }
}
