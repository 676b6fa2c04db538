package dev.clawrate.rater;

import dev.clawrate.rater.engine.ExecutionMode;
import dev.clawrate.rater.engine.ModelLimits;
import dev.clawrate.rater.heartbeat.HeartbeatLayout;
import dev.clawrate.rater.http.NetworkThreadPolicy;
import dev.clawrate.rater.kube.KubeNames;
import dev.clawrate.rater.snapshot.SnapshotCodec;
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
    int shadowQueue) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_HEALTH_PORT = 8081;
  public static final int DEFAULT_SHADOW_THREADS = 1;
  public static final int DEFAULT_SHADOW_QUEUE = 64;

  public static final String USAGE =
      """
      usage: java -jar rater-pod.jar (--config-dir DIR | --kube) [options]

        --config-dir DIR            serve DIR/snapshot.json with modules in DIR/modules
        --kube                      serve the track's snapshot ConfigMaps from the Kubernetes API
                                    (in-cluster service account, else KUBECONFIG or ~/.kube/config)
        --namespace NS              with --kube: namespace to watch (default: $POD_NAMESPACE, else
                                    the kubeconfig's namespace, else default)
        --state-dir DIR             with --kube: keep the last good snapshot in DIR, and serve it
                                    at start-up until the cluster's snapshot arrives
        --kube-sync-timeout-seconds N  with --kube: wait this long for the first list of
                                    ConfigMaps before serving without it (default 10)
        --pod-name NAME             with --kube: the name this rater reports its heartbeat Lease
                                    under (default: $POD_NAME, else the host name and a random
                                    suffix)
        --heartbeat-seconds N       with --kube: renew the heartbeat Lease this often (default 5)
        --port N                    rating API port: POST /v1/rate only (default 8080; 0 picks
                                    a free one)
        --health-port N             /healthz, /readyz, /metrics and /v1/models (default 8081; 0
                                    picks a free one)
        --host ADDR                 address to bind (default 0.0.0.0)
        --track stable|canary       which track's snapshot this rater serves (default stable)
        --io-threads N              network threads (default: number of CPUs)
        --worker-threads N          threads reading bodies and running models (default: 8 per CPU)
        --gzip-min-bytes N          compress responses at least this large (default 256)
        --rate-on-network-threads auto|always|never
                                    rate on the thread that read the request: auto does so
                                    once a model's calls prove short (default auto)
        --poll-seconds N            re-read the config at least this often (default 10)
        --max-model-memory-pages N  refuse a snapshot with a model whose maxMemoryPages is above N
                                    (64 KiB each; default 4096, the most the ABI allows)
        --interpreter               run models in Chicory's interpreter instead of compiling them
        --shutdown-drain-seconds N  fail readiness this long before stopping (default 0)
        --shutdown-timeout-seconds N  wait this long for requests in flight (default 30)
        --shadow-threads N          threads evaluating shadow candidates on sampled requests,
                                    off the response path (default 1)
        --shadow-queue N            sampled requests waiting for a shadow thread; a sample that
                                    finds the queue full is skipped and counted (default 64)
      """;

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
    int cpus = Runtime.getRuntime().availableProcessors();
    Path configDir = null;
    boolean kube = false;
    String namespace = null;
    Path stateDir = null;
    Integer syncTimeoutSeconds = null;
    String podName = null;
    Integer heartbeatSeconds = null;
    String host = "0.0.0.0";
    int port = DEFAULT_PORT;
    int healthPort = DEFAULT_HEALTH_PORT;
    int maxModelMemoryPages = ModelLimits.MAX_MEMORY_PAGES;
    String track = SnapshotCodec.TRACK_STABLE;
    int ioThreads = cpus;
    int workerThreads = 8 * cpus;
    int gzipMinBytes = 256;
    NetworkThreadPolicy networkThreads = NetworkThreadPolicy.AUTO;
    int pollSeconds = 10;
    ExecutionMode mode = ExecutionMode.COMPILED;
    int drainSeconds = 0;
    int timeoutSeconds = 30;
    int shadowThreads = DEFAULT_SHADOW_THREADS;
    int shadowQueue = DEFAULT_SHADOW_QUEUE;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config-dir" -> configDir = Path.of(value(args, ++i, arg));
        case "--kube" -> kube = true;
        case "--namespace" -> namespace = dnsLabel(args, ++i, arg);
        case "--pod-name" -> podName = dnsSubdomain(args, ++i, arg);
        case "--heartbeat-seconds" -> heartbeatSeconds = integer(args, ++i, arg, 1, 300);
        case "--state-dir" -> stateDir = Path.of(value(args, ++i, arg));
        case "--kube-sync-timeout-seconds" -> syncTimeoutSeconds = integer(args, ++i, arg, 0, 3600);
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = integer(args, ++i, arg, 0, 65535);
        case "--health-port" -> healthPort = integer(args, ++i, arg, 0, 65535);
        case "--track" -> {
          track = value(args, ++i, arg);
          if (!track.equals(SnapshotCodec.TRACK_STABLE)
              && !track.equals(SnapshotCodec.TRACK_CANARY)) {
            throw new UsageException("--track must be stable or canary, got '" + track + "'");
          }
        }
        case "--io-threads" -> ioThreads = integer(args, ++i, arg, 1, 256);
        case "--worker-threads" -> workerThreads = integer(args, ++i, arg, 1, 4096);
        case "--gzip-min-bytes" -> gzipMinBytes = integer(args, ++i, arg, 0, Integer.MAX_VALUE);
        case "--rate-on-network-threads" -> {
          String value = value(args, ++i, arg);
          try {
            networkThreads = NetworkThreadPolicy.parse(value);
          } catch (IllegalArgumentException e) {
            throw new UsageException(arg + " must be auto, always or never, got '" + value + "'");
          }
        }
        case "--poll-seconds" -> pollSeconds = integer(args, ++i, arg, 1, 86_400);
        case "--max-model-memory-pages" ->
            maxModelMemoryPages = integer(args, ++i, arg, 1, ModelLimits.MAX_MEMORY_PAGES);
        case "--interpreter" -> mode = ExecutionMode.INTERPRETED;
        case "--shutdown-drain-seconds" -> drainSeconds = integer(args, ++i, arg, 0, 3600);
        case "--shutdown-timeout-seconds" -> timeoutSeconds = integer(args, ++i, arg, 0, 3600);
        case "--shadow-threads" -> shadowThreads = integer(args, ++i, arg, 1, 64);
        case "--shadow-queue" -> shadowQueue = integer(args, ++i, arg, 1, 100_000);
        case "--help", "-h" -> throw new UsageException(null);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
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
        shadowQueue);
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
    described.put("shadowThreads", shadowThreads);
    described.put("shadowQueue", shadowQueue);
    return described;
  }

  private static void requireKube(String option, Object given) throws UsageException {
    if (given != null) {
      throw new UsageException(option + " applies only with --kube");
    }
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static String dnsLabel(String[] args, int i, String option) throws UsageException {
    String raw = value(args, i, option);
    if (!KubeNames.isDnsLabel(raw)) {
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

  private static String dnsSubdomain(String[] args, int i, String option) throws UsageException {
    String raw = value(args, i, option);
    if (!KubeNames.isDnsSubdomain(raw)) {
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

  private static int integer(String[] args, int i, String option, int min, int max)
      throws UsageException {
    String raw = value(args, i, option);
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
