package dev.clawrate.local;

import dev.clawrate.contract.cli.CommandLines;
import dev.clawrate.operator.OperatorOptions;
import dev.clawrate.operator.OperatorOptions.UsageException;
import dev.clawrate.operator.alert.AlertSettings;
import dev.clawrate.operator.egress.EgressPolicy;
import java.util.Map;
import picocli.CommandLine;

/**
 * Command line of {@code java -jar clawrate-local.jar [options]}: the operator's options and the
 * local run's own.
 *
 * @param operator the options of the operator the local run starts
 * @param raterPort the local region's stable rater's port, 0 for a free one
 * @param apiPort the hub's API server's port, 0 for a free one
 * @param demoCanary whether to release a new version of the sample model once ready
 */
public record LocalOptions(
    OperatorOptions operator, int raterPort, int apiPort, boolean demoCanary) {

  public static LocalOptions parse(String[] args) throws UsageException {
    return parse(args, System.getenv());
  }

  /** Parses {@code args}, option defaults taken from {@code environment}. */
  static LocalOptions parse(String[] args, Map<String, String> environment) throws UsageException {
    LocalCommandLine given = new LocalCommandLine();
    CommandLines.Parsed parsed = CommandLines.parse(commandLine(given, environment), args);
    if (parsed.help()) {
      throw new UsageException(null);
    }
    if (parsed.problem() != null) {
      throw new UsageException(parsed.problem());
    }
    return new LocalOptions(
        OperatorOptions.from(given.operator),
        OperatorOptions.integer(given.raterPort, "--rater-port", 0, 65535),
        OperatorOptions.integer(given.apiPort, "--api-port", 0, 65535),
        given.demoCanary);
  }

  /** The help: every option, its default (as the environment sets it) and what it does. */
  public static String usage() {
    return CommandLines.usage(commandLine(new LocalCommandLine(), System.getenv()));
  }

  private static CommandLine commandLine(LocalCommandLine given, Map<String, String> environment) {
    return CommandLines.of(given, LocalCommandLine.ENV_PREFIX, environment);
  }

  /** Where the operator may connect on a tenant's behalf, as the options say. */
  public EgressPolicy egressPolicy() {
    return operator.egressPolicy();
  }

  public AlertSettings alerts() {
    return operator.alerts();
  }
}
