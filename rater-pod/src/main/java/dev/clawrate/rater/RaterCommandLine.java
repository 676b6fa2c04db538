package dev.clawrate.rater;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.rater.audit.AuditSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rater's options as given: words, checked and turned into {@link RaterOptions} by {@link
 * RaterOptions#parse}, so every bad value gets the same kind of one-line message.
 */
@Command(
    name = "rater-pod.jar",
    synopsisHeading = "",
    customSynopsis = "usage: java -jar rater-pod.jar (--config-dir DIR | --kube) [options]",
    separator = " ",
    sortOptions = false,
    footer = {
      "",
      "Every option's default can be set in the environment: CLAWRATE_RATER_ and the option's name"
          + " in capitals with _ for -, e.g. CLAWRATE_RATER_PORT=9000; the command line wins."
    })
final class RaterCommandLine {

  static final String ENV_PREFIX = "CLAWRATE_RATER";

  @Option(
      names = "--config-dir",
      paramLabel = "DIR",
      description = "serve DIR/snapshot.json with modules in DIR/modules")
  String configDir;

  @Option(
      names = "--kube",
      description =
          "serve the track's snapshot ConfigMaps from the Kubernetes API (in-cluster service"
              + " account, else KUBECONFIG or ~/.kube/config)")
  boolean kube;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description =
          "with --kube: namespace to watch (default: $POD_NAMESPACE, else the kubeconfig's"
              + " namespace, else default)")
  String namespace;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "with --kube: keep the last good snapshot in DIR, and serve it at start-up until the"
              + " cluster's snapshot arrives (default: none kept)")
  String stateDir;

  @Option(
      names = "--kube-sync-timeout-seconds",
      paramLabel = "N",
      description =
          "with --kube: wait this long for the first list of ConfigMaps before serving without"
              + " it (default 10)")
  String kubeSyncTimeoutSeconds;

  @Option(
      names = "--pod-name",
      paramLabel = "NAME",
      description =
          "with --kube: the name this rater reports its heartbeat Lease under (default:"
              + " $POD_NAME, else the host name and a random suffix)")
  String podName;

  @Option(
      names = "--heartbeat-seconds",
      paramLabel = "N",
      description = "with --kube: renew the heartbeat Lease this often (default 5)")
  String heartbeatSeconds;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "" + RaterOptions.DEFAULT_PORT,
      description =
          "rating API port: POST /v1/rate only; 0 picks a free one (default ${DEFAULT-VALUE})")
  String port;

  @Option(
      names = "--health-port",
      paramLabel = "N",
      defaultValue = "" + RaterOptions.DEFAULT_HEALTH_PORT,
      description =
          "/healthz, /readyz, /metrics and /v1/models; 0 picks a free one (default"
              + " ${DEFAULT-VALUE})")
  String healthPort;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      defaultValue = "0.0.0.0",
      description = "address to bind (default ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--track",
      paramLabel = "stable|canary",
      defaultValue = SnapshotCodec.TRACK_STABLE,
      description = "which track's snapshot this rater serves (default ${DEFAULT-VALUE})")
  String track;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description = "network threads (default: the number of CPUs)")
  String ioThreads;

  @Option(
      names = "--worker-threads",
      paramLabel = "N",
      description = "threads reading bodies and running models (default: 8 per CPU)")
  String workerThreads;

  @Option(
      names = "--gzip-min-bytes",
      paramLabel = "N",
      defaultValue = "256",
      description = "compress responses at least this large (default ${DEFAULT-VALUE})")
  String gzipMinBytes;

  @Option(
      names = "--rate-on-network-threads",
      paramLabel = "auto|always|never",
      defaultValue = "auto",
      description =
          "rate on the thread that read the request: auto does so once a model's calls prove"
              + " short (default ${DEFAULT-VALUE})")
  String rateOnNetworkThreads;

  @Option(
      names = "--poll-seconds",
      paramLabel = "N",
      defaultValue = "10",
      description = "re-read the config at least this often (default ${DEFAULT-VALUE})")
  String pollSeconds;

  @Option(
      names = "--max-model-memory-pages",
      paramLabel = "N",
      defaultValue = "" + ModelLimits.MAX_MEMORY_PAGES,
      description =
          "refuse a snapshot with a model whose maxMemoryPages is above N (64 KiB each; default"
              + " ${DEFAULT-VALUE}, the most the ABI allows)")
  String maxModelMemoryPages;

  @Option(
      names = "--interpreter",
      description =
          "run models in Chicory's interpreter instead of compiling them (default: compiled)")
  boolean interpreter;

  @Option(
      names = "--shutdown-drain-seconds",
      paramLabel = "N",
      defaultValue = "0",
      description = "fail readiness this long before stopping (default ${DEFAULT-VALUE})")
  String shutdownDrainSeconds;

  @Option(
      names = "--shutdown-timeout-seconds",
      paramLabel = "N",
      defaultValue = "30",
      description = "wait this long for requests in flight (default ${DEFAULT-VALUE})")
  String shutdownTimeoutSeconds;

  @Option(
      names = "--shadow-threads",
      paramLabel = "N",
      defaultValue = "" + RaterOptions.DEFAULT_SHADOW_THREADS,
      description =
          "threads evaluating shadow candidates on sampled requests, off the response path"
              + " (default ${DEFAULT-VALUE})")
  String shadowThreads;

  @Option(
      names = "--shadow-queue",
      paramLabel = "N",
      defaultValue = "" + RaterOptions.DEFAULT_SHADOW_QUEUE,
      description =
          "sampled requests waiting for a shadow thread; a sample that finds the queue full is"
              + " skipped and counted (default ${DEFAULT-VALUE})")
  String shadowQueue;

  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      description =
          "append a JSON line per rating answer to FILE (the decision log), written off the"
              + " response path; default none")
  String auditLog;

  @Option(
      names = "--audit-sample-rate",
      paramLabel = "RATE",
      defaultValue = "1",
      description =
          "share of answers the decision log records, 0 to 1 (default ${DEFAULT-VALUE}: all)")
  String auditSampleRate;

  @Option(
      names = "--audit-input-tenants",
      paramLabel = "IDS",
      description =
          "tenants (comma-separated) whose request bodies the decision log records too; no other"
              + " tenant's ever is")
  String auditInputTenants;

  @Option(
      names = "--audit-queue",
      paramLabel = "N",
      defaultValue = "" + AuditSettings.DEFAULT_QUEUE,
      description =
          "records waiting for the decision log's writer; one that finds the queue full is"
              + " dropped and counted, never waited for (default ${DEFAULT-VALUE})")
  String auditQueue;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;
}
