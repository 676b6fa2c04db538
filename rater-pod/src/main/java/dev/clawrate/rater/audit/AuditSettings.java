package dev.clawrate.rater.audit;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the decision log is written.
 *
 * @param file the JSON-lines file records are appended to; null when the log is off
 * @param sampleRate the share of answers recorded, 0 to 1 (1: every answer)
 * @param inputTenants tenants whose request bodies are recorded too; no other tenant's ever is
 * @param queue records waiting for the writer at most; one finding the queue full is dropped and
 *     counted, never waited for
 */
public record AuditSettings(Path file, double sampleRate, Set<String> inputTenants, int queue) {

  public static final int DEFAULT_QUEUE = 10_000;

  public static final AuditSettings OFF = new AuditSettings(null, 0, Set.of(), 1);

  public AuditSettings {
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sample rate must be between 0 and 1, got " + sampleRate);
    }
    if (queue < 1) {
      throw new IllegalArgumentException("queue must hold at least 1 record, got " + queue);
    }
    inputTenants = Set.copyOf(inputTenants);
  }

  public boolean enabled() {
    return file != null && sampleRate > 0;
  }

  /**
   * Settings from the command line's words.
   *
   * @param file a path, or null or blank for no decision log
   * @param sampleRate a decimal from 0 to 1
   * @param inputTenants tenant ids separated by commas, or null or blank for none
   * @throws IllegalArgumentException naming the option whose value is wrong
   */
  public static AuditSettings parse(
      String file, String sampleRate, String inputTenants, int queue) {
    double rate;
    try {
      rate = Double.parseDouble(sampleRate.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--audit-sample-rate must be a number from 0 to 1, got '" + sampleRate + "'");
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          "--audit-sample-rate must be a number from 0 to 1, got '" + sampleRate + "'");
    }
    Set<String> tenants =
        inputTenants == null
            ? Set.of()
            : Arrays.stream(inputTenants.split(","))
                .map(String::trim)
                .filter(tenant -> !tenant.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    Path path = file == null || file.isBlank() ? null : Path.of(file);
    if (path == null && !tenants.isEmpty()) {
      throw new IllegalArgumentException("--audit-input-tenants needs --audit-log");
    }
    return new AuditSettings(path, rate, tenants, queue);
  }
}
