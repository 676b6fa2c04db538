package dev.clawrate.rater;

import dev.clawrate.contract.cli.CommandLines;
import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.InstancePolicy;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.heartbeat.HeartbeatLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.rater.audit.AuditSettings;
import dev.clawrate.rater.http.HttpLimits;
import dev.clawrate.rater.http.NetworkThreadLimits;
import dev.clawrate.rater.http.NetworkThreadPolicy;
import dev.clawrate.rater.http.WorkerShares;
import dev.clawrate.rater.kube.KubeNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Command-line options of the rater.
 *
 * @param configDir directory holding snapshot.json and modules/; null in cluster mode
 * @param kube cluster mode: where the snapshot ConfigMaps are watched; null in directory mode
 * @param port the rating API's port: {@code POST /v1/rate} and nothing else
 * @param healthPort the port of health, readiness, metrics and {@code /v1/models}
 * @param maxModelMemoryPages the most linear memory a model of a snapshot may ask for on this
 *     rater: a platform cap per rater pool, below the ABI's maximum
 * @param shutdownDrain how long readiness fails before the server stops taking requests; set it to
 *     the load balancer's probe period in clusters
 * @param shadowThreads threads evaluating shadows' candidates on sampled requests
 * @param shadowQueue sampled requests waiting for a shadow thread at most; a sample finding the
 *     queue full is skipped
 * @param httpLimits timeouts, header limits and connection caps of both ports
 * @param workerShares how much of the worker threads one model or tenant may hold
 * @param networkThreadLimits how model calls on network threads are bounded
 * @param instancePolicy the memory budget of all model instances, each model's share of it, and how
 *     long an idle instance is kept
 * @param audit the decision log's settings
 */
public record RaterOptions(
    Path configDir,
    KubeOptions kube,
    String host,
    int port,
    int healthPort,
    int maxModelMemoryPages,
    String track,
    int ioThreads,
    int workerThreads,
    int gzipMinBytes,
    NetworkThreadPolicy networkThreads,
    Duration pollInterval,
    ExecutionMode executionMode,
    Duration shutdownDrain,
    Duration shutdownTimeout,
    int shadowThreads,
    int shadowQueue,
    HttpLimits httpLimits,
    WorkerShares workerShares,
    NetworkThreadLimits networkThreadLimits,
    InstancePolicy instancePolicy,
    AuditSettings audit) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_HEALTH_PORT = 8081;
  public static final int DEFAULT_SHADOW_THREADS = 1;
  public static final int DEFAULT_SHADOW_QUEUE = 64;

  /** 1 TiB: far above any heap a rater runs with, low enough that no byte count overflows. */
  static final int MAX_MODEL_MEMORY_MIB = 1024 * 1024;

  /** The help: every option, its default (as the environment sets it) and what it does. */
  public static String usage() {
    return CommandLines.usage(
        CommandLines.of(new RaterCommandLine(), RaterCommandLine.ENV_PREFIX, System.getenv()));
  }

  /**
   * Cluster mode.
   *
   * @param namespace the namespace given with --namespace, or null to take it from the environment
   *     (see {@code dev.clawrate.rater.kube.KubeNamespace})
   * @param stateDir where the last good snapshot is kept, or null to keep none
   * @param syncTimeout how long start-up waits for the first list of ConfigMaps; the API server may
   *     be down, and the rater must still start (and serve its state dir, if it has one)
   * @param podName the name given with --pod-name, or null to take it from the environment (see
   *     {@code dev.clawrate.rater.kube.PodName})
   * @param heartbeatInterval how often the heartbeat Lease is renewed
   */
  public record KubeOptions(
      String namespace,
      Path stateDir,
      Duration syncTimeout,
      String podName,
      Duration heartbeatInterval) {}

  /** Thrown for arguments that make no sense (with a message) or for --help (without). */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static RaterOptions parse(String[] args) throws UsageException {
    return parse(args, System.getenv());
  }

  /** Parses {@code args}, option defaults taken from {@code environment}. */
  static RaterOptions parse(String[] args, Map<String, String> environment) throws UsageException {
    RaterCommandLine given = new RaterCommandLine();
    CommandLines.Parsed parsed =
        CommandLines.parse(CommandLines.of(given, RaterCommandLine.ENV_PREFIX, environment), args);
    if (parsed.help()) {
      throw new UsageException(null);
    }
    if (parsed.problem() != null) {
      throw new UsageException(parsed.problem());
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    Path configDir = given.configDir == null ? null : Path.of(given.configDir);
    boolean kube = given.kube;
    String namespace = dnsLabel(given.namespace, "--namespace");
    String podName = dnsSubdomain(given.podName, "--pod-name");
    Integer heartbeatSeconds = optional(given.heartbeatSeconds, "--heartbeat-seconds", 1, 300);
    Path stateDir = given.stateDir == null ? null : Path.of(given.stateDir);
    Integer syncTimeoutSeconds =
        optional(given.kubeSyncTimeoutSeconds, "--kube-sync-timeout-seconds", 0, 3600);
    String host = given.host;
    int port = integer(given.port, "--port", 0, 65535);
    int healthPort = integer(given.healthPort, "--health-port", 0, 65535);
    String track = given.track;
    if (!track.equals(SnapshotCodec.TRACK_STABLE) && !track.equals(SnapshotCodec.TRACK_CANARY)) {
      throw new UsageException("--track must be stable or canary, got '" + track + "'");
    }
    int ioThreads =
        given.ioThreads == null ? cpus : integer(given.ioThreads, "--io-threads", 1, 256);
    int workerThreads =
        given.workerThreads == null
            ? 8 * cpus
            : integer(given.workerThreads, "--worker-threads", 1, 4096);
    int gzipMinBytes = integer(given.gzipMinBytes, "--gzip-min-bytes", 0, Integer.MAX_VALUE);
    NetworkThreadPolicy networkThreads;
    try {
      networkThreads = NetworkThreadPolicy.parse(given.rateOnNetworkThreads);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--rate-on-network-threads must be auto, always or never, got '"
              + given.rateOnNetworkThreads
              + "'");
    }
    int pollSeconds = integer(given.pollSeconds, "--poll-seconds", 1, 86_400);
    int maxModelMemoryPages =
        integer(
            given.maxModelMemoryPages, "--max-model-memory-pages", 1, ModelLimits.MAX_MEMORY_PAGES);
    ExecutionMode mode = given.interpreter ? ExecutionMode.INTERPRETED : ExecutionMode.COMPILED;
    int drainSeconds = integer(given.shutdownDrainSeconds, "--shutdown-drain-seconds", 0, 3600);
    int timeoutSeconds =
        integer(given.shutdownTimeoutSeconds, "--shutdown-timeout-seconds", 0, 3600);
    int shadowThreads = integer(given.shadowThreads, "--shadow-threads", 1, 64);
    int shadowQueue = integer(given.shadowQueue, "--shadow-queue", 1, 100_000);
    HttpLimits httpLimits = httpLimits(given);
    WorkerShares workerShares =
        new WorkerShares(
            integer(given.modelWorkerShare, "--model-worker-share", 1, 100),
            integer(given.tenantWorkerShare, "--tenant-worker-share", 1, 100),
            integer(given.workerQueue, "--worker-queue", 0, 100_000),
            integer(given.workerQueueWaitMs, "--worker-queue-wait-ms", 1, 60_000));
    NetworkThreadLimits networkThreadLimits =
        new NetworkThreadLimits(
            integer(given.networkCallLimitMs, "--network-call-limit-ms", 1, 1000),
            given.networkCallsPerModel == null
                ? NetworkThreadLimits.defaultCallsPerModel(ioThreads)
                : integer(given.networkCallsPerModel, "--network-calls-per-model", 1, 256));
    InstancePolicy instancePolicy = instancePolicy(given);
    AuditSettings audit;
    try {
      audit =
          AuditSettings.parse(
              given.auditLog,
              given.auditSampleRate,
              given.auditInputTenants,
              integer(given.auditQueue, "--audit-queue", 1, 1_000_000));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (configDir != null && kube) {
      throw new UsageException("--config-dir and --kube are mutually exclusive");
    }
    if (configDir == null && !kube) {
      throw new UsageException("either --config-dir or --kube is required");
    }
    if (port != 0 && port == healthPort) {
      throw new UsageException("--port and --health-port must differ, both are " + port);
    }
    KubeOptions kubeOptions = null;
    if (kube) {
      int syncSeconds = syncTimeoutSeconds == null ? 10 : syncTimeoutSeconds;
      int renewSeconds =
          heartbeatSeconds == null ? HeartbeatLayout.DEFAULT_RENEW_SECONDS : heartbeatSeconds;
      kubeOptions =
          new KubeOptions(
              namespace,
              stateDir,
              Duration.ofSeconds(syncSeconds),
              podName,
              Duration.ofSeconds(renewSeconds));
    } else {
      requireKube("--namespace", namespace);
      requireKube("--state-dir", stateDir);
      requireKube("--kube-sync-timeout-seconds", syncTimeoutSeconds);
      requireKube("--pod-name", podName);
      requireKube("--heartbeat-seconds", heartbeatSeconds);
    }
    return new RaterOptions(
        configDir,
        kubeOptions,
        host,
        port,
        healthPort,
        maxModelMemoryPages,
        track,
        ioThreads,
        workerThreads,
        gzipMinBytes,
        networkThreads,
        Duration.ofSeconds(pollSeconds),
        mode,
        Duration.ofSeconds(drainSeconds),
        Duration.ofSeconds(timeoutSeconds),
        shadowThreads,
        shadowQueue,
        httpLimits,
        workerShares,
        networkThreadLimits,
        instancePolicy,
        audit);
  }

  private static HttpLimits httpLimits(RaterCommandLine given) throws UsageException {
    return new HttpLimits(
        Duration.ofSeconds(
            integer(given.headerTimeoutSeconds, "--header-timeout-seconds", 1, 3600)),
        Duration.ofSeconds(integer(given.bodyTimeoutSeconds, "--body-timeout-seconds", 1, 3600)),
        Duration.ofSeconds(integer(given.idleTimeoutSeconds, "--idle-timeout-seconds", 1, 86_400)),
        integer(given.maxHeaderBytes, "--max-header-bytes", 1024, 1024 * 1024),
        integer(given.maxHeaders, "--max-headers", 8, 10_000),
        integer(given.maxConnections, "--max-connections", 1, 1_000_000),
        integer(given.maxHealthConnections, "--max-health-connections", 1, 10_000));
  }

  private static InstancePolicy instancePolicy(RaterCommandLine given) throws UsageException {
    InstancePolicy policy = InstancePolicy.defaults();
    if (given.modelMemoryMib != null) {
      long mib = integer(given.modelMemoryMib, "--model-memory-mib", 1, MAX_MODEL_MEMORY_MIB);
      policy = policy.withMemoryBudgetBytes(mib * 1024 * 1024);
    }
    int share = integer(given.modelMemorySharePercent, "--model-memory-share-percent", 1, 100);
    int idleSeconds = integer(given.idleInstanceSeconds, "--idle-instance-seconds", 1, 86_400);
    return policy.withModelSharePercent(share).withIdleTimeout(Duration.ofSeconds(idleSeconds));
  }

  /** Options as key-value pairs for the start-up log line. */
  public Map<String, Object> describe() {
    Map<String, Object> described = new LinkedHashMap<>();
    if (kube == null) {
      described.put("configDir", configDir.toString());
    } else {
      described.put("source", "kube");
      if (kube.stateDir() != null) {
        described.put("stateDir", kube.stateDir().toString());
      }
    }
    described.put("port", port);
    described.put("healthPort", healthPort);
    described.put("track", track);
    described.put("workerThreads", workerThreads);
    described.put("execution", executionMode.name());
    if (maxModelMemoryPages < ModelLimits.MAX_MEMORY_PAGES) {
      described.put("maxModelMemoryPages", maxModelMemoryPages);
    }
    described.put("modelMemoryBytes", instancePolicy.memoryBudgetBytes());
    described.put("modelMemorySharePercent", instancePolicy.modelSharePercent());
    described.put("idleInstanceSeconds", instancePolicy.idleTimeout().toSeconds());
    described.put("shadowThreads", shadowThreads);
    described.put("shadowQueue", shadowQueue);
    described.put("maxConnections", httpLimits.maxConnections());
    described.put("modelWorkerShare", workerShares.modelPercent());
    described.put("tenantWorkerShare", workerShares.tenantPercent());
    described.put("networkCallLimitMs", networkThreadLimits.callLimitMillis());
    if (audit.enabled()) {
      described.put("auditLog", audit.file().toString());
      described.put("auditSampleRate", audit.sampleRate());
      described.put("auditInputTenants", audit.inputTenants().size());
    }
    return described;
  }

  private static void requireKube(String option, Object given) throws UsageException {
    if (given != null) {
      throw new UsageException(option + " applies only with --kube");
    }
  }

  private static String dnsLabel(String raw, String option) throws UsageException {
    if (raw != null && !KubeNames.isDnsLabel(raw)) {
      throw new UsageException(
          option
              + " must be a DNS label (lowercase letters, digits and '-', at most "
              + KubeNames.MAX_LABEL
              + "), got '"
              + raw
              + "'");
    }
    return raw;
  }

  private static String dnsSubdomain(String raw, String option) throws UsageException {
    if (raw != null && !KubeNames.isDnsSubdomain(raw)) {
      throw new UsageException(
          option
              + " must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most "
              + KubeNames.MAX_SUBDOMAIN
              + "), got '"
              + raw
              + "'");
    }
    return raw;
  }

  private static Integer optional(String raw, String option, int min, int max)
      throws UsageException {
    return raw == null ? null : integer(raw, option, min, max);
  }

  private static int integer(String raw, String option, int min, int max) throws UsageException {
    Function<String, UsageException> bad =
        why -> new UsageException(option + " must be " + why + ", got '" + raw + "'");
    int parsed;
    try {
      parsed = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw bad.apply("an integer");
    }
    if (parsed < min || parsed > max) {
      throw bad.apply("between " + min + " and " + max);
    }
    return parsed;
  }
}
