package dev.clawrate.operator;

import dev.clawrate.operator.alert.ReceiverResolver;
import dev.clawrate.operator.egress.EgressPolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator's options as given: words, checked and turned into {@link OperatorOptions} by {@link
 * OperatorOptions#from}, so every bad value gets the same kind of one-line message. The local run
 * mixes these into its own command line.
 */
@Command(
    name = "clawrate-operator.jar",
    synopsisHeading = "",
    customSynopsis =
        "usage: java -jar clawrate-operator.jar [options]   run the operator (in-cluster or current"
            + " kube context)",
    separator = " ",
    sortOptions = false,
    footer = {
      "",
      "Every option's default can be set in the environment: CLAWRATE_OPERATOR_ and the option's"
          + " name in capitals with _ for -, e.g. CLAWRATE_OPERATOR_HEALTH_PORT=9091; the command"
          + " line wins.",
      "To run everything on this machine without a cluster: java -jar clawrate-local.jar"
    })
public final class OperatorCommandLine {

  static final String ENV_PREFIX = "CLAWRATE_OPERATOR";

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "watch RatingModels and TenantConfigs in NS only (default: all)")
  String namespace;

  @Option(
      names = "--rater-namespace",
      paramLabel = "NS",
      description =
          "write snapshots and modules to NS (default: POD_NAMESPACE, else the kube context's"
              + " namespace, else default)")
  String raterNamespace;

  @Option(
      names = "--leader-election",
      paramLabel = "BOOL",
      description = "take a Lease before reconciling (default: true in a cluster, else false)")
  String leaderElection;

  @Option(
      names = "--local-region",
      paramLabel = "BOOL",
      defaultValue = "true",
      description =
          "serve the operator's own cluster as region 'local' (default ${DEFAULT-VALUE}); member"
              + " regions are Secrets labelled clawrate.dev/region")
  String localRegion;

  @Option(
      names = "--health-port",
      paramLabel = "N",
      defaultValue = "8081",
      description = "/healthz, /readyz, /metrics; 0 picks a free one (default ${DEFAULT-VALUE})")
  String healthPort;

  @Option(
      names = "--module-gc-grace-seconds",
      paramLabel = "N",
      defaultValue = "600",
      description = "keep unreferenced module ConfigMaps this long (default ${DEFAULT-VALUE})")
  String moduleGcGraceSeconds;

  @Option(
      names = "--prometheus-url",
      paramLabel = "REGION=URL",
      description =
          "canary analyses read REGION's raters from this Prometheus (repeat per region; a bearer"
              + " token in CLAWRATE_PROMETHEUS_TOKEN; default: each rater pod through the region's"
              + " API server)")
  List<String> prometheusUrls = new ArrayList<>();

  @Option(
      names = "--egress-allow",
      paramLabel = "CIDR",
      split = ",",
      description =
          "let tenants' URLs (module downloads) reach this block although it is loopback,"
              + " private, link-local or otherwise internal (repeat per block, or separate with"
              + " commas; default none)")
  List<String> egressAllow = new ArrayList<>();

  @Option(
      names = "--egress-deny",
      paramLabel = "CIDR",
      split = ",",
      description =
          "never let tenants' URLs reach this block, even if allowed: the cluster's pod and"
              + " service CIDRs (repeat per block, or separate with commas; default none)")
  List<String> egressDeny = new ArrayList<>();

  @Option(
      names = "--cluster-domain",
      paramLabel = "DOMAIN",
      defaultValue = EgressPolicy.DEFAULT_CLUSTER_DOMAIN,
      description =
          "the cluster's DNS domain: tenants' URLs naming a host in it, in .svc or .local, or"
              + " localhost are refused (default ${DEFAULT-VALUE})")
  String clusterDomain;

  @Option(
      names = "--slo-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "time between SLO evaluations (default ${DEFAULT-VALUE}; at least 100ms); every"
              + " burn-rate window of a TenantConfig must be at least this long")
  String sloInterval;

  @Option(
      names = "--pagerduty-url",
      paramLabel = "URL",
      defaultValue = ReceiverResolver.PAGERDUTY_EVENTS,
      description = "where PagerDuty receivers' events go (default ${DEFAULT-VALUE})")
  String pagerDutyUrl;

  @Option(
      names = "--allow-http-receivers",
      description =
          "let Slack and webhook receivers be plain http URLs (default: https only, since the URL"
              + " is the receiver's credential)")
  boolean allowHttpReceivers;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;
}
