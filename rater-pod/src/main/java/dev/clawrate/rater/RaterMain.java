package dev.clawrate.rater;

import dev.clawrate.rater.engine.ModelEngine;
import dev.clawrate.rater.http.RatingServer;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.snapshot.DirectorySource;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import dev.clawrate.rater.snapshot.SnapshotLoader;
import dev.clawrate.rater.snapshot.SnapshotReloader;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a rater: the engine, the snapshot reloader for its track, and the HTTP server. */
public final class RaterMain implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RaterMain.class);

  private final RaterOptions options;
  private final ModelEngine engine;
  private final LiveSnapshot live;
  private final SnapshotReloader reloader;
  private final RatingServer server;

  public RaterMain(RaterOptions options) {
    this.options = options;
    this.engine = new ModelEngine(options.executionMode(), options.workerThreads());
    RaterMetrics metrics = new RaterMetrics();
    this.live = new LiveSnapshot(options.track());
    this.reloader =
        new SnapshotReloader(
            new DirectorySource(options.configDir()),
            new SnapshotLoader(engine, Clock.systemUTC()),
            live,
            engine,
            metrics,
            options.pollInterval(),
            Clock.systemUTC());
    this.server =
        new RatingServer(
            new RatingServer.Settings(
                options.host(),
                options.port(),
                options.ioThreads(),
                options.workerThreads(),
                options.gzipMinBytes()),
            live,
            metrics);
  }

  /** Serves /healthz at once, then loads the snapshot; /readyz answers 200 once it is live. */
  public void start() throws IOException {
    if (!Files.isDirectory(options.configDir())) {
      throw new IOException("config directory " + options.configDir() + " does not exist");
    }
    server.start();
    reloader.start();
    var event = LOG.atInfo().addKeyValue("boundPort", server.port());
    options.describe().forEach(event::addKeyValue);
    event
        .addKeyValue("revision", live.current() == null ? null : live.current().revision())
        .log("rater started");
  }

  public int port() {
    return server.port();
  }

  public LiveSnapshot live() {
    return live;
  }

  /** Drains and stops; what a SIGTERM from the kubelet does. */
  public void shutdown() throws InterruptedException {
    LOG.atInfo().log("rater shutting down");
    server.shutdown(options.shutdownDrain(), options.shutdownTimeout());
    close();
  }

  @Override
  public void close() {
    server.close();
    reloader.close();
    engine.close();
  }

  public static void main(String[] args) {
    RaterOptions options;
    try {
      options = RaterOptions.parse(args);
    } catch (RaterOptions.UsageException e) {
      if (e.getMessage() == null) {
        System.out.print(RaterOptions.USAGE);
        System.exit(0);
      }
      System.err.println("error: " + e.getMessage());
      System.err.print(RaterOptions.USAGE);
      System.exit(2);
      return;
    }
    RaterMain rater = new RaterMain(options);
    try {
      rater.start();
    } catch (IOException | RuntimeException e) {
      LOG.atError().setCause(e).log("rater failed to start");
      rater.close();
      System.exit(1);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    rater.shutdown();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "clawrate-shutdown"));
  }
}
