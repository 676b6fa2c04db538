package dev.clawrate.rater.http;

import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.Options;

/** The rater's HTTP server: the rating API of design contract 3, health and metrics. */
public final class RatingServer implements AutoCloseable {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * @param workerThreads threads that read bodies and run models; a model call holds one for its
   *     whole duration
   */
  public record Settings(
      String host,
      int port,
      int ioThreads,
      int workerThreads,
      int gzipMinBytes,
      NetworkThreadPolicy networkThreads) {}

  private final Undertow undertow;
  private final GracefulShutdownHandler graceful;
  private final AtomicBoolean draining = new AtomicBoolean();

  public RatingServer(Settings settings, LiveSnapshot live, RaterMetrics metrics) {
    Responses responses = new Responses(settings.gzipMinBytes());
    RoutingHandler routes =
        Handlers.routing()
            .post("/v1/rate", new RateHandler(live, metrics, responses, settings.networkThreads()))
            .get("/v1/models", new ModelsHandler(live, responses))
            .get("/healthz", HealthHandlers.liveness(responses))
            .get("/readyz", HealthHandlers.readiness(live, draining::get, responses))
            .get("/metrics", metricsHandler(metrics, responses))
            .setFallbackHandler(
                exchange ->
                    responses.sendError(
                        exchange,
                        ApiError.NOT_FOUND,
                        "no such endpoint: " + exchange.getRequestPath()))
            .setInvalidMethodHandler(
                exchange ->
                    responses.sendError(
                        exchange,
                        ApiError.METHOD_NOT_ALLOWED,
                        exchange.getRequestMethod()
                            + " is not allowed on "
                            + exchange.getRequestPath()));
    graceful = Handlers.gracefulShutdown(routes);
    undertow =
        Undertow.builder()
            .addHttpListener(settings.port(), settings.host())
            .setIoThreads(settings.ioThreads())
            .setWorkerThreads(settings.workerThreads())
            .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
            .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
            .setServerOption(UndertowOptions.ENABLE_STATISTICS, false)
            .setSocketOption(Options.TCP_NODELAY, true)
            .setHandler(graceful)
            .build();
  }

  public void start() {
    undertow.start();
  }

  /** The bound port: the one asked for, or the one the OS chose for port 0. */
  public int port() {
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  /**
   * Stops taking traffic gracefully: readiness fails first so load balancers drain the pod, then
   * new requests are refused and in-flight ones finish, up to {@code timeout}.
   */
  public void shutdown(Duration drainDelay, Duration timeout) throws InterruptedException {
    draining.set(true);
    Thread.sleep(drainDelay.toMillis());
    graceful.shutdown();
    graceful.awaitShutdown(timeout.toMillis());
    undertow.stop();
  }

  @Override
  public void close() {
    undertow.stop();
  }

  private static HttpHandler metricsHandler(RaterMetrics metrics, Responses responses) {
    return exchange -> {
      if (exchange.isInIoThread()) {
        exchange.dispatch(metricsHandler(metrics, responses));
        return;
      }
      responses.send(
          exchange, 200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    };
  }
}
