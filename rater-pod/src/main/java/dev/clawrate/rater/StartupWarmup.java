package dev.clawrate.rater;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.io.IOException;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Loads what the rater's start needs next on two background threads while the main thread parses
 * the command line. A cold JVM spends most of its start loading, verifying and initialising classes
 * (logging, command line, JSON, metrics, HTTP server), one library after the other on the main
 * thread; side by side they finish sooner on a pod with more than one core, and on one core they
 * cost next to nothing more. Nothing made here is kept: only the classes stay loaded, so a failure
 * costs the time it took and no more.
 */
final class StartupWarmup {

  private final Thread logging;
  private final Thread libraries;

  private StartupWarmup(Thread logging, Thread libraries) {
    this.logging = logging;
    this.libraries = libraries;
  }

  /** Starts both threads and returns at once. */
  static StartupWarmup begin() {
    Thread logging = daemon("clawrate-warmup-logging", LoggerFactory::getILoggerFactory);
    Thread libraries =
        daemon(
            "clawrate-warmup",
            () -> {
              json();
              // Micrometer and Undertow look up loggers as their classes load.
              awaitQuietly(logging);
              metrics();
              http();
            });
    logging.start();
    libraries.start();
    return new StartupWarmup(logging, libraries);
  }

  /**
   * Waits until logging is configured. Callers wait before their first logger: one asked for while
   * another thread is still starting logback is a stand-in that only replays its lines later.
   */
  void awaitLogging() throws InterruptedException {
    logging.join();
  }

  /** Both threads, started; for tests. */
  List<Thread> threads() {
    return List.of(logging, libraries);
  }

  // Jackson's first mapper and its first tree written and read: error bodies, /v1/models, the
  // snapshot's codec.
  private static void json() {
    ObjectMapper mapper = new ObjectMapper();
    try {
      mapper.readTree(mapper.writeValueAsBytes(JsonNodeFactory.instance.objectNode().put("a", 1)));
    } catch (IOException e) {
      throw new IllegalStateException("an in-memory JSON round trip failed", e);
    }
  }

  // The registry's classes and the Prometheus model behind it; the rater builds its own.
  private static void metrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("clawrate_warmup").increment();
    registry.close();
  }

  // Undertow's builder and the handlers the rater's server is made of; binding and XNIO's threads
  // stay with the server's start.
  private static void http() {
    Undertow.builder();
    Handlers.gracefulShutdown(Handlers.routing());
  }

  private static void awaitQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread =
        new Thread(
            () -> {
              try {
                task.run();
              } catch (RuntimeException | LinkageError e) {
                // The rater's own start loads the same classes and reports what fails there.
                LoggerFactory.getLogger(StartupWarmup.class)
                    .atDebug()
                    .addKeyValue("thread", name)
                    .setCause(e)
                    .log("start-up warm-up failed");
              }
            },
            name);
    thread.setDaemon(true);
    return thread;
  }
}
