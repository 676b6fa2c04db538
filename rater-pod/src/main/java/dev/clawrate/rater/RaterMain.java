package dev.clawrate.rater;

import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.rater.audit.AuditLog;
import dev.clawrate.rater.heartbeat.HeartbeatReport;
import dev.clawrate.rater.http.PortInUseException;
import dev.clawrate.rater.http.RatingServer;
import dev.clawrate.rater.kube.ClusterSources;
import dev.clawrate.rater.kube.LeaseHeartbeat;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.shadow.ShadowEvaluator;
import dev.clawrate.rater.shadow.ShadowRoute;
import dev.clawrate.rater.snapshot.CompositeReloadListener;
import dev.clawrate.rater.snapshot.DirectorySource;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import dev.clawrate.rater.snapshot.ReloadListener;
import dev.clawrate.rater.snapshot.SnapshotLoader;
import dev.clawrate.rater.snapshot.SnapshotPersister;
import dev.clawrate.rater.snapshot.SnapshotReloader;
import dev.clawrate.rater.snapshot.SnapshotSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a rater: the engine, the snapshot reloader for its track, and the HTTP server on its two
 * ports (rating, health).
 */
public final class RaterMain implements AutoCloseable {

  /**
   * Looked up when first used, not when the class loads: {@link #run} starts logback on a warm-up
   * thread while it parses the command line.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(RaterMain.class);
  }

  private final RaterOptions options;
  private final RaterMetrics metrics;
  private final ModelEngine engine;
  private final LiveSnapshot live;
  private final SnapshotReloader reloader;
  private final ShadowEvaluator shadows;
  private final AuditLog audit;
  private final RatingServer server;
  private final SnapshotSource source;
  // The namespace watched in cluster mode; null when serving a directory.
  private final String namespace;
  // A Kubernetes client this rater built and must close; null otherwise.
  private final AutoCloseable ownedClient;
  // Cluster mode's heartbeat Lease writer; null when serving a directory.
  private final LeaseHeartbeat heartbeat;
  // Compiles modules as their ConfigMaps arrive, ahead of the snapshot that will name them;
  // one thread, so it never takes more than a core from serving.
  private final ExecutorService precompiler =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "clawrate-precompiler");
            thread.setDaemon(true);
            return thread;
          });

  public RaterMain(RaterOptions options) {
    this(options, null);
  }

  /**
   * @param kubeClient in cluster mode, the client to watch ConfigMaps with, e.g. one of an
   *     embedding program's mock API server; it stays the caller's to close. Null builds one from
   *     the environment. Ignored when serving a directory.
   */
  public RaterMain(RaterOptions options, KubernetesClient kubeClient) {
    this.options = options;
    this.metrics = new RaterMetrics();
    // First: nothing else is started yet when it cannot be opened.
    this.audit = openAudit(options, metrics);
    // Tiered: a new module serves from the interpreter while it compiles in the background.
    this.engine =
        new ModelEngine(
            options.executionMode(), options.workerThreads(), true, options.instancePolicy());
    metrics.bindModelMemory(engine.memoryBudget());
    this.live = new LiveSnapshot(options.track());
    ReloadListener listener = metrics;
    if (options.kube() == null) {
      this.source = new DirectorySource(options.configDir());
      this.namespace = null;
      this.ownedClient = null;
      this.heartbeat = null;
    } else {
      ClusterSources.Opened opened =
          ClusterSources.open(
              options.kube(),
              options.track(),
              kubeClient,
              this::precompile,
              () -> HeartbeatReport.of(live),
              metrics);
      this.source = opened.source();
      this.namespace = opened.namespace();
      this.ownedClient = opened.ownedClient();
      this.heartbeat = opened.heartbeat();
      listener =
          options.kube().stateDir() == null
              ? CompositeReloadListener.of(metrics, heartbeat)
              : CompositeReloadListener.of(
                  metrics,
                  new SnapshotPersister(options.kube().stateDir(), source::modules),
                  heartbeat);
    }
    this.reloader =
        new SnapshotReloader(
            source,
            new SnapshotLoader(engine, Clock.systemUTC(), options.maxModelMemoryPages()),
            live,
            engine,
            listener,
            options.pollInterval(),
            Clock.systemUTC());
    this.shadows =
        new ShadowEvaluator(
            options.shadowThreads(), options.shadowQueue(), metrics.shadows(), this::isLiveShadow);
    this.server =
        new RatingServer(
            new RatingServer.Settings(
                options.host(),
                options.port(),
                options.healthPort(),
                options.ioThreads(),
                options.workerThreads(),
                options.gzipMinBytes(),
                options.networkThreads(),
                options.httpLimits(),
                options.workerShares(),
                options.networkThreadLimits()),
            live,
            metrics,
            shadows,
            audit);
  }

  /**
   * A decision log file that cannot be opened is a configuration error like a bad flag: the rater
   * does not start without the log it was asked to keep.
   */
  private static AuditLog openAudit(RaterOptions options, RaterMetrics metrics) {
    try {
      return AuditLog.open(options.audit(), metrics.audit(), options.track());
    } catch (IOException e) {
      // FileNotFoundException's message names the file and the reason.
      throw new IllegalArgumentException("cannot open --audit-log: " + e.getMessage(), e);
    }
  }

  private boolean isLiveShadow(ShadowRoute route) {
    LoadedSnapshot current = live.current();
    return current != null && current.shadows().get(route.tenant()) == route;
  }

  /**
   * Serves /healthz at once, then loads the snapshot and returns once its models run compiled code;
   * /readyz answers 200 from then on.
   */
  public void start() throws IOException {
    if (options.configDir() != null && !Files.isDirectory(options.configDir())) {
      throw new IOException("config directory " + options.configDir() + " does not exist");
    }
    // The first snapshot load (mostly compiling modules) and the server's start both load
    // classes; side by side they finish sooner on a multi-core pod.
    CompletableFuture<Void> firstLoad =
        CompletableFuture.runAsync(
            () -> {
              try {
                reloader.start();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    server.start();
    if (heartbeat != null) {
      heartbeat.start();
    }
    try {
      firstLoad.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
    if (live.current() != null) {
      awaitCompiledCode();
    }
    var event =
        log()
            .atInfo()
            .addKeyValue("boundPort", server.port())
            .addKeyValue("boundHealthPort", server.healthPort());
    options.describe().forEach(event::addKeyValue);
    if (namespace != null) {
      event
          .addKeyValue("namespace", namespace)
          .addKeyValue("heartbeatLease", heartbeat.leaseName());
    }
    event.addKeyValue("snapshotSource", source.describe());
    event
        .addKeyValue("revision", live.current() == null ? null : live.current().revision())
        .addKeyValue("compiledCodeReady", live.compiledCodeReady())
        .log("rater started");
    // Serving already: this only adds meters.
    metrics.bindJvmMetrics();
  }

  // Compiling takes tens of milliseconds a module, a small part of the start; the interrupted or
  // timed-out start goes on, readiness still waiting for the compiler.
  private void awaitCompiledCode() {
    try {
      live.awaitCompiledCode(SnapshotReloader.COMPILED_CODE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The bound rating port: POST /v1/rate. */
  public int port() {
    return server.port();
  }

  /** The bound health port: /healthz, /readyz, /metrics, /v1/models. */
  public int healthPort() {
    return server.healthPort();
  }

  public LiveSnapshot live() {
    return live;
  }

  /**
   * Drains and stops; what a SIGTERM from the kubelet does. The heartbeat Lease goes first: from
   * now on readiness fails and the pod takes no new traffic, so it no longer counts as serving.
   */
  public void shutdown() throws InterruptedException {
    log().atInfo().log("rater shutting down");
    if (heartbeat != null) {
      heartbeat.close();
    }
    server.shutdown(options.shutdownDrain(), options.shutdownTimeout());
    close();
  }

  @Override
  public void close() {
    server.close();
    if (heartbeat != null) {
      heartbeat.close();
    }
    reloader.close();
    shadows.close();
    audit.close();
    precompiler.shutdownNow();
    engine.close();
    if (ownedClient != null) {
      try {
        ownedClient.close();
      } catch (Exception e) {
        log().atDebug().setCause(e).log("closing the Kubernetes client failed");
      }
    }
  }

  private void precompile(String digest, byte[] module) {
    precompiler.execute(
        () -> {
          try {
            engine.precompile(digest, module);
          } catch (ModelValidationException | RuntimeException e) {
            // The snapshot naming it reports the problem when it is loaded.
            log().atDebug().addKeyValue("digest", digest).log("module not precompiled");
          }
        });
  }

  /**
   * One line for a port this rater could not take, naming the option that moves it: the usual
   * mistake is a second rater (or anything else) on the same machine.
   */
  public static String portInUse(PortInUseException e) {
    String option = e.listener() == PortInUseException.Listener.RATING ? "--port" : "--health-port";
    return "port " + e.port() + " is in use; pass " + option + " 0 to pick a free one";
  }

  /** What {@link #run} returns for a rater that started and serves until the JVM stops. */
  static final int SERVING = -1;

  /**
   * Parses the command line and starts a rater. A rater that cannot start has closed everything it
   * started, said why in one line on {@code err}, and returns the exit status.
   *
   * @return {@link #SERVING}, or the exit status to end the process with
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    StartupWarmup warmup = StartupWarmup.begin();
    RaterOptions options;
    try {
      options = RaterOptions.parse(args);
    } catch (RaterOptions.UsageException e) {
      if (e.getMessage() == null) {
        out.print(RaterOptions.usage());
        return 0;
      }
      err.println("error: " + e.getMessage());
      err.print(RaterOptions.usage());
      return 2;
    }
    try {
      warmup.awaitLogging();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    RaterMain rater;
    try {
      rater = new RaterMain(options);
    } catch (IllegalArgumentException e) {
      // A name from the environment (namespace, pod name) that cannot go into an API path, or a
      // decision log file that cannot be opened.
      err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      rater.start();
    } catch (PortInUseException e) {
      rater.close();
      err.println("error: " + portInUse(e));
      return 1;
    } catch (IOException e) {
      rater.close();
      err.println("error: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      rater.close();
      log().atError().setCause(e).log("rater failed to start");
      return 1;
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
    return SERVING;
  }

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != SERVING) {
      System.exit(status);
    }
  }
}
