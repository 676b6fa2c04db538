package dev.clawrate.rater;

import dev.clawrate.contract.engine.InstancePolicy;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.rater.audit.AuditSettings;
import dev.clawrate.rater.http.HttpLimits;
import dev.clawrate.rater.http.NetworkThreadLimits;
import dev.clawrate.rater.http.WorkerShares;
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
      names = "--header-timeout-seconds",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_HEADER_TIMEOUT_SECONDS,
      description =
          "close a connection whose request line and headers take longer than N seconds to"
              + " arrive (default ${DEFAULT-VALUE})")
  String headerTimeoutSeconds;

  @Option(
      names = "--body-timeout-seconds",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_BODY_TIMEOUT_SECONDS,
      description =
          "close a connection whose request body takes longer than N seconds to arrive after its"
              + " headers (default ${DEFAULT-VALUE})")
  String bodyTimeoutSeconds;

  @Option(
      names = "--idle-timeout-seconds",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_IDLE_TIMEOUT_SECONDS,
      description =
          "close a keep-alive connection idle for N seconds between requests; keep it above the"
              + " idle timeout of proxies in front (default ${DEFAULT-VALUE})")
  String idleTimeoutSeconds;

  @Option(
      names = "--max-header-bytes",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_HEADER_BYTES,
      description =
          "answer 431 to a request whose request line and headers exceed N bytes (default"
              + " ${DEFAULT-VALUE})")
  String maxHeaderBytes;

  @Option(
      names = "--max-headers",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_HEADERS,
      description =
          "answer 431 to a request with more than N header lines (default ${DEFAULT-VALUE})")
  String maxHeaders;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_CONNECTIONS,
      description =
          "open connections on the rating port; beyond N, new ones wait to be accepted until one"
              + " closes (default ${DEFAULT-VALUE})")
  String maxConnections;

  @Option(
      names = "--max-health-connections",
      paramLabel = "N",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_HEALTH_CONNECTIONS,
      description =
          "open connections on the health port, counted apart from the rating port's (default"
              + " ${DEFAULT-VALUE})")
  String maxHealthConnections;

  @Option(
      names = "--rate-on-network-threads",
      paramLabel = "auto|always|never",
      defaultValue = "auto",
      description =
          "rate on the thread that read the request: auto does so once a model's calls prove"
              + " short (default ${DEFAULT-VALUE})")
  String rateOnNetworkThreads;

  @Option(
      names = "--model-worker-share",
      paramLabel = "PERCENT",
      defaultValue = "" + WorkerShares.DEFAULT_MODEL_PERCENT,
      description =
          "the share of the worker threads one model may hold at once, at least one thread"
              + " (default ${DEFAULT-VALUE})")
  String modelWorkerShare;

  @Option(
      names = "--tenant-worker-share",
      paramLabel = "PERCENT",
      defaultValue = "" + WorkerShares.DEFAULT_TENANT_PERCENT,
      description =
          "the share of the worker threads one tenant may hold at once, at least one thread"
              + " (default ${DEFAULT-VALUE})")
  String tenantWorkerShare;

  @Option(
      names = "--worker-queue",
      paramLabel = "N",
      defaultValue = "" + WorkerShares.DEFAULT_QUEUE,
      description =
          "requests that may wait for a worker thread, per model and per tenant, when their"
              + " share is full; beyond it they are answered 503 overloaded (default"
              + " ${DEFAULT-VALUE})")
  String workerQueue;

  @Option(
      names = "--worker-queue-wait-ms",
      paramLabel = "MS",
      defaultValue = "" + WorkerShares.DEFAULT_MAX_WAIT_MILLIS,
      description =
          "how long a request waits for a worker thread before it is answered 503 overloaded"
              + " (default ${DEFAULT-VALUE})")
  String workerQueueWaitMs;

  @Option(
      names = "--network-call-limit-ms",
      paramLabel = "MS",
      defaultValue = "" + NetworkThreadLimits.DEFAULT_CALL_LIMIT_MILLIS,
      description =
          "with --rate-on-network-threads auto, the time limit of a model call on a network"
              + " thread; a call stopped at it runs again on a worker thread (default"
              + " ${DEFAULT-VALUE})")
  String networkCallLimitMs;

  @Option(
      names = "--network-calls-per-model",
      paramLabel = "N",
      description =
          "with --rate-on-network-threads auto, calls of one model that may run on network"
              + " threads at once (default: one less than --io-threads, at least 1)")
  String networkCallsPerModel;

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
      names = "--model-memory-mib",
      paramLabel = "N",
      description =
          "the linear memory all model instances together may hold, in MiB; a call that would"
              + " need more waits up to 100 ms, then is answered 503 overloaded (default: half"
              + " the JVM's maximum heap)")
  String modelMemoryMib;

  @Option(
      names = "--model-memory-share-percent",
      paramLabel = "N",
      defaultValue = "" + InstancePolicy.DEFAULT_MODEL_SHARE_PERCENT,
      description =
          "the part of --model-memory-mib one model's instances may hold, so a memory-hungry"
              + " model leaves room for the others (default ${DEFAULT-VALUE})")
  String modelMemorySharePercent;

  @Option(
      names = "--idle-instance-seconds",
      paramLabel = "N",
      defaultValue = "60",
      description =
          "drop a model instance unused this long, returning its memory (default"
              + " ${DEFAULT-VALUE})")
  String idleInstanceSeconds;

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
