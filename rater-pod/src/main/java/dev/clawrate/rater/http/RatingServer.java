package dev.clawrate.rater.http;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.audit.AuditLog;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.shadow.ShadowEvaluator;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * The rater's HTTP server, on two ports. The rating port serves what API clients need and nothing
 * else: {@code POST /v1/rate} (design contract 3). The health port serves what the kubelet, the
 * operator's people and Prometheus need: {@code /healthz}, {@code /readyz}, {@code /metrics} and
 * {@code /v1/models}, whose model digests, tenants and reload errors are none of a client's
 * business. Both share Undertow's network and worker threads; each counts its own connections
 * against its own cap, and both bound what a client may cost (see {@link HttpLimits}).
 */
public final class RatingServer implements AutoCloseable {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * @param healthPort the port of health, readiness, metrics and {@code /v1/models}; 0 for any
   * @param workerThreads threads that read bodies and run models; a model call holds one for its
   *     whole duration
   * @param workerShares how much of the workers one model or tenant may hold
   * @param networkThreadLimits how calls on network threads are bounded under {@link
   *     NetworkThreadPolicy#AUTO}
   */
  public record Settings(
      String host,
      int port,
      int healthPort,
      int ioThreads,
      int workerThreads,
      int gzipMinBytes,
      NetworkThreadPolicy networkThreads,
      HttpLimits limits,
      WorkerShares workerShares,
      NetworkThreadLimits networkThreadLimits) {}

  // A client still sending after its error answer is read (and ignored) this long at most.
  private static final long LINGER_MAX_BYTES = 64L * 1024 * 1024;

  private final Settings settings;
  private final Undertow undertow;
  private final GracefulShutdownHandler graceful;
  private final AtomicBoolean draining = new AtomicBoolean();
  // Set once start() succeeded, cleared by the first stop: Undertow.stop() after a failed start
  // waits forever for a worker that start() already shut down.
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param shadows where requests of tenants with a shadow are offered once answered
   * @param audit where rating answers are recorded
   */
  public RatingServer(
      Settings settings,
      LiveSnapshot live,
      RaterMetrics metrics,
      ShadowEvaluator shadows,
      AuditLog audit) {
    this.settings = settings;
    Responses responses = new Responses(settings.gzipMinBytes());
    RatingPlacement placement =
        new RatingPlacement(
            settings.networkThreads(),
            new NetworkThreadGate(settings.networkThreadLimits().gateSettings()),
            new Bulkhead(settings.workerShares().of(settings.workerThreads())),
            settings.workerShares().maxWaitMillis());
    RoutingHandler rating =
        withErrors(
            Handlers.routing()
                .post(
                    "/v1/rate",
                    new RateHandler(live, metrics, responses, placement, shadows, audit)),
            responses);
    RoutingHandler health =
        withErrors(
            Handlers.routing()
                .get("/v1/models", new ModelsHandler(live, responses, placement.gate()))
                .get("/healthz", HealthHandlers.liveness(responses))
                .get("/readyz", HealthHandlers.readiness(live, draining::get, responses))
                .get("/metrics", metricsHandler(metrics, responses)),
            responses);
    HttpLimits limits = settings.limits();
    HeaderBudget budget = new HeaderBudget(limits.maxHeaderBytes(), limits.maxHeaders());
    LingeringClose lingering = new LingeringClose(limits.bodyTimeout(), LINGER_MAX_BYTES);
    HttpHandler ratingPort =
        new BodyDeadlineHandler(
            new HeaderLimitHandler(
                exchange -> {
                  exchange.addExchangeCompleteListener(lingering);
                  rating.handleRequest(exchange);
                },
                budget,
                responses,
                nanos -> metrics.unroutedRequest(live.track(), Outcome.HEADERS_TOO_LARGE, nanos)),
            limits.bodyTimeout());
    HttpHandler healthPort =
        new BodyDeadlineHandler(
            new HeaderLimitHandler(health, budget, responses, nanos -> {}), limits.bodyTimeout());
    // Only the rating port drains: probes and scrapes keep answering until the server stops.
    graceful = Handlers.gracefulShutdown(ratingPort);
    undertow =
        Undertow.builder()
            .addListener(
                listener(
                    settings.port(),
                    settings.host(),
                    new RequestIdHandler(graceful),
                    limits.maxConnections()))
            .addListener(
                listener(
                    settings.healthPort(),
                    settings.host(),
                    healthPort,
                    limits.maxHealthConnections()))
            .setIoThreads(settings.ioThreads())
            .setWorkerThreads(settings.workerThreads())
            .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
            .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
            .setServerOption(UndertowOptions.ENABLE_STATISTICS, false)
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(limits.headerTimeout()))
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(limits.idleTimeout()))
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, limits.hardHeaderBytes())
            .setServerOption(UndertowOptions.MAX_HEADERS, limits.hardHeaders())
            // No server-wide body cap: the rating handler caps each body by its tenant's limit
            // (RequestBodies.capRead), and the body timeout bounds what any other route drains.
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
            .setSocketOption(Options.TCP_NODELAY, true)
            .build();
  }

  /**
   * A listener with its own connection cap: the two ports count their connections apart, so a flood
   * on one never keeps the other's clients out.
   */
  private static Undertow.ListenerBuilder listener(
      int port, String host, HttpHandler handler, int maxConnections) {
    return new Undertow.ListenerBuilder()
        .setType(Undertow.ListenerType.HTTP)
        .setPort(port)
        .setHost(host)
        .setRootHandler(handler)
        .setOverrideSocketOptions(
            OptionMap.builder()
                .set(Options.CONNECTION_HIGH_WATER, maxConnections)
                .set(Options.CONNECTION_LOW_WATER, maxConnections)
                .getMap());
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  /** Errors in the API's JSON shape for paths and methods a port does not serve. */
  private static RoutingHandler withErrors(RoutingHandler routes, Responses responses) {
    return routes
        .setFallbackHandler(
            exchange ->
                responses.sendError(
                    exchange, ApiError.NOT_FOUND, "no such endpoint: " + exchange.getRequestPath()))
        .setInvalidMethodHandler(
            exchange ->
                responses.sendError(
                    exchange,
                    ApiError.METHOD_NOT_ALLOWED,
                    exchange.getRequestMethod()
                        + " is not allowed on "
                        + exchange.getRequestPath()));
  }

  /**
   * Listens on both ports. When one cannot be bound, Undertow has already released whatever it
   * took, and this server must not be stopped.
   *
   * @throws PortInUseException when another process holds one of the ports
   * @throws IOException when a port cannot be bound for another reason (e.g. a foreign host)
   */
  public void start() throws IOException {
    try {
      undertow.start();
    } catch (RuntimeException e) {
      if (!(e.getCause() instanceof BindException bind)) {
        throw e;
      }
      // Listeners bind in the order they were added; those bound before the failure are listed.
      boolean rating = undertow.getListenerInfo().isEmpty();
      int port = rating ? settings.port() : settings.healthPort();
      if (bind.getMessage() != null && bind.getMessage().contains("in use")) {
        throw new PortInUseException(
            rating ? PortInUseException.Listener.RATING : PortInUseException.Listener.HEALTH,
            port,
            bind);
      }
      throw new IOException(
          "cannot listen on " + settings.host() + ":" + port + ": " + bind.getMessage(), bind);
    }
    running.set(true);
  }

  /** The bound rating port: the one asked for, or the one the OS chose for port 0. */
  public int port() {
    return boundPort(0);
  }

  /** The bound health port. */
  public int healthPort() {
    return boundPort(1);
  }

  // Listeners are listed in the order they were added to the builder.
  private int boundPort(int listener) {
    return ((InetSocketAddress) undertow.getListenerInfo().get(listener).getAddress()).getPort();
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
    close();
  }

  @Override
  public void close() {
    if (running.compareAndSet(true, false)) {
      undertow.stop();
    }
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
