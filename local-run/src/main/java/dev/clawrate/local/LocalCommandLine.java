package dev.clawrate.local;

import dev.clawrate.operator.OperatorCommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The local run's options as given: the operator's, which it runs, and its own; checked and turned
 * into {@link LocalOptions} by {@link LocalOptions#parse}.
 */
@Command(
    name = "clawrate-local.jar",
    synopsisHeading = "",
    customSynopsis =
        "usage: java -jar clawrate-local.jar [options]   run everything on this machine, no"
            + " cluster needed",
    separator = " ",
    sortOptions = false,
    footer = {
      "",
      "Every option's default can be set in the environment: CLAWRATE_LOCAL_ and the option's"
          + " name in capitals with _ for -, e.g. CLAWRATE_LOCAL_RATER_PORT=9090; the command line"
          + " wins."
    })
final class LocalCommandLine {

  static final String ENV_PREFIX = "CLAWRATE_LOCAL";

  @Option(
      names = "--rater-port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "port of the local rater; 0 picks a free one (default ${DEFAULT-VALUE})")
  String raterPort;

  @Option(
      names = "--api-port",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "port of the embedded Kubernetes API server (default ${DEFAULT-VALUE}: a free one)")
  String apiPort;

  @Option(
      names = "--demo-canary",
      description =
          "once ready, release a new version of credit-scorecard through its CanaryRelease and"
              + " print its phase and weights as they move (default: off)")
  boolean demoCanary;

  @Mixin OperatorCommandLine operator = new OperatorCommandLine();
}
