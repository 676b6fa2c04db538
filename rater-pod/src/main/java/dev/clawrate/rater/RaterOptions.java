package dev.clawrate.rater;

import dev.clawrate.rater.engine.ExecutionMode;
import dev.clawrate.rater.snapshot.SnapshotCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Command-line options of the rater.
 *
 * @param configDir directory holding snapshot.json and modules/
 * @param shutdownDrain how long readiness fails before the server stops taking requests; set it to
 *     the load balancer's probe period in clusters
 */
public record RaterOptions(
    Path configDir,
    String host,
    int port,
    String track,
    int ioThreads,
    int workerThreads,
    int gzipMinBytes,
    Duration pollInterval,
    ExecutionMode executionMode,
    Duration shutdownDrain,
    Duration shutdownTimeout) {

  public static final String USAGE =
      """
      usage: java -jar rater-pod.jar --config-dir DIR [options]

        --config-dir DIR            serve DIR/snapshot.json with modules in DIR/modules (required)
        --port N                    HTTP port (default 8080; 0 picks a free one)
        --host ADDR                 address to bind (default 0.0.0.0)
        --track stable|canary       which track's snapshot this rater serves (default stable)
        --io-threads N              network threads (default: number of CPUs)
        --worker-threads N          threads reading bodies and running models (default: 8 per CPU)
        --gzip-min-bytes N          compress responses at least this large (default 256)
        --poll-seconds N            re-read the config at least this often (default 10)
        --interpreter               run models in Chicory's interpreter instead of compiling them
        --shutdown-drain-seconds N  fail readiness this long before stopping (default 0)
        --shutdown-timeout-seconds N  wait this long for requests in flight (default 30)
      """;

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
    String host = "0.0.0.0";
    int port = 8080;
    String track = SnapshotCodec.TRACK_STABLE;
    int ioThreads = cpus;
    int workerThreads = 8 * cpus;
    int gzipMinBytes = 256;
    int pollSeconds = 10;
    ExecutionMode mode = ExecutionMode.COMPILED;
    int drainSeconds = 0;
    int timeoutSeconds = 30;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config-dir" -> configDir = Path.of(value(args, ++i, arg));
        case "--host" -> host = value(args, ++i, arg);
        case "--port" -> port = integer(args, ++i, arg, 0, 65535);
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
        case "--poll-seconds" -> pollSeconds = integer(args, ++i, arg, 1, 86_400);
        case "--interpreter" -> mode = ExecutionMode.INTERPRETED;
        case "--shutdown-drain-seconds" -> drainSeconds = integer(args, ++i, arg, 0, 3600);
        case "--shutdown-timeout-seconds" -> timeoutSeconds = integer(args, ++i, arg, 0, 3600);
        case "--help", "-h" -> throw new UsageException(null);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (configDir == null) {
      throw new UsageException("--config-dir is required");
    }
    return new RaterOptions(
        configDir,
        host,
        port,
        track,
        ioThreads,
        workerThreads,
        gzipMinBytes,
        Duration.ofSeconds(pollSeconds),
        mode,
        Duration.ofSeconds(drainSeconds),
        Duration.ofSeconds(timeoutSeconds));
  }

  /** Options as key-value pairs for the start-up log line. */
  public Map<String, Object> describe() {
    return Map.of(
        "configDir", configDir.toString(),
        "port", port,
        "track", track,
        "workerThreads", workerThreads,
        "execution", executionMode.name());
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
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
