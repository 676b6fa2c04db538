package dev.clawrate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clawrate.operator.Threads;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.kube.Informers;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for a Gateway API gateway in one region, for the local run and the tests, where no
 * real gateway can run: it accepts the HTTPRoutes of its namespace as a gateway controller would
 * ({@link LocalGatewayController}), and serves HTTP on 127.0.0.1, sending each request to one
 * backend of one named route, drawn at random by the route's current weights (see {@link
 * RouteBackends} for which backendRefs count). It follows the route through an informer, so a
 * weight change applies as soon as the watch brings it, and has taken effect once the route's
 * status shows the new generation accepted.
 *
 * <p>The answer is the backend's status, headers and body, plus {@code X-Clawrate-Backend} naming
 * the Service; {@code 503} when the route is missing or no backend has weight, {@code 500} when the
 * draw falls on a backendRef it has no address for (as the Gateway API asks of an invalid one),
 * {@code 502} when the backend does not answer, {@code 504} when it answers too late. Errors are
 * JSON in the raters' form, {@code {"error": {"code", "message"}}}.
 *
 * <p>The JDK's HTTP server writes a response's headers and body apart: unless the JVM sets {@code
 * sun.net.httpserver.nodelay=true} before its first HTTP server starts, each answer waits out the
 * client's delayed ACK (some 40 ms on Linux).
 */
public final class LocalGateway implements AutoCloseable {

  /** The response header naming the Service that answered. */
  public static final String BACKEND_HEADER = "X-Clawrate-Backend";

  private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Requests served at once; more wait in the pool's queue. A laptop's load, not a cluster's. */
  private static final int THREADS = 8;

  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
  private static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Status writes that failed (the API server away) are tried again at each resync; weights need no
   * resync, the watch brings every change.
   */
  private static final long RESYNC_MILLIS = 10_000;

  /** Headers about one connection, which a proxy does not pass on (RFC 9110, section 7.6.1). */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect");

  private final String routeKey;
  private final Map<String, HttpUrl> backends;
  private final SharedIndexInformer<HTTPRoute> informer;
  private final OkHttpClient http;
  private final ExecutorService handlers;
  private final HttpServer server;

  private LocalGateway(
      KubernetesClient client,
      String namespace,
      String route,
      Map<String, HttpUrl> backends,
      int port)
      throws IOException {
    this.routeKey = Cache.namespaceKeyFunc(namespace, route);
    this.backends = backends;
    this.http =
        new OkHttpClient.Builder()
            .callTimeout(BACKEND_TIMEOUT)
            .followRedirects(false)
            // A request the backend may have started on is not the proxy's to send again.
            .retryOnConnectionFailure(false)
            .build();
    this.handlers = Threads.pool("clawrate-local-gateway", THREADS);
    LocalGatewayController controller = new LocalGatewayController(client, namespace);
    this.informer =
        client.resources(HTTPRoute.class).inNamespace(namespace).runnableInformer(RESYNC_MILLIS);
    Informers.retryForever(informer, "HTTPRoutes", null);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HTTPRoute added) {
            controller.reconcile(added);
          }

          @Override
          public void onUpdate(HTTPRoute before, HTTPRoute after) {
            controller.reconcile(after);
          }

          @Override
          public void onDelete(HTTPRoute deleted, boolean finalStateUnknown) {
            // A deleted route has no status to write; requests find it gone.
          }
        });
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      handlers.shutdownNow();
      throw e;
    }
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
  }

  /**
   * Starts a gateway for {@code route} in {@code namespace}: it accepts every HTTPRoute of the
   * namespace and serves HTTP on 127.0.0.1.
   *
   * @param client the region's API server; the caller closes it after this gateway
   * @param backends each Service's base URL ({@code http://127.0.0.1:8080}); a request's path is
   *     appended to the base URL's
   * @param port the port, 0 for any free one
   * @throws IllegalArgumentException when a name or URL is invalid
   * @throws IOException when the port cannot be bound
   */
  public static LocalGateway start(
      KubernetesClient client, String namespace, String route, Map<String, URI> backends, int port)
      throws IOException {
    String why = KubeNames.whyNotObjectPath(namespace, route);
    if (why != null) {
      throw new IllegalArgumentException("the route's " + why);
    }
    Map<String, HttpUrl> urls = new HashMap<>();
    for (Map.Entry<String, URI> backend : backends.entrySet()) {
      if (KubeNames.whyNotDnsLabel(backend.getKey()) != null) {
        throw new IllegalArgumentException("a backend's Service name is not a valid name");
      }
      HttpUrl url = backend.getValue() == null ? null : HttpUrl.get(backend.getValue());
      if (url == null) {
        throw new IllegalArgumentException(
            "the base URL of Service " + backend.getKey() + " is not an http(s) URL");
      }
      urls.put(backend.getKey(), url);
    }
    LocalGateway gateway = new LocalGateway(client, namespace, route, Map.copyOf(urls), port);
    gateway.informer.start();
    gateway.server.start();
    return gateway;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where to send requests: {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      HTTPRoute followed = informer.getStore().getByKey(routeKey);
      if (followed == null) {
        error(exchange, 503, "route_not_found", "the gateway's route does not exist");
        return;
      }
      RouteBackends route = RouteBackends.of(followed, backends.keySet());
      if (route.backends().isEmpty()) {
        error(exchange, 503, "no_backend", "no rule of the route refers to a backend it knows");
        return;
      }
      long total = route.totalWeight();
      if (total == 0) {
        error(exchange, 503, "no_backend", "no backend of the route has weight");
        return;
      }
      RouteBackends.Backend chosen = route.choose(ThreadLocalRandom.current().nextLong(total));
      if (!chosen.known()) {
        error(
            exchange,
            500,
            "backend_not_found",
            "the route sent this request to a backend the gateway has no address for");
        return;
      }
      forward(exchange, chosen.service(), backends.get(chosen.service()));
    } catch (IOException e) {
      // The client went away: there is no one to answer.
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).log("local gateway failed a request");
    }
  }

  private void forward(HttpExchange exchange, String service, HttpUrl base) throws IOException {
    byte[] body = readAtMost(exchange.getRequestBody(), MAX_BODY_BYTES);
    if (body == null) {
      error(exchange, 413, "body_too_large", "the request body is larger than the gateway takes");
      return;
    }
    Request request;
    try {
      request = request(exchange, base, body);
    } catch (IllegalArgumentException e) {
      error(exchange, 400, "bad_request", "the request cannot be passed on");
      return;
    }
    byte[] answer;
    int status;
    Headers headers = exchange.getResponseHeaders();
    try (Response response = http.newCall(request).execute()) {
      ResponseBody responseBody = response.body();
      answer =
          responseBody == null
              ? new byte[0]
              : readAtMost(responseBody.byteStream(), MAX_BODY_BYTES);
      if (answer == null) {
        error(
            exchange, 502, "bad_gateway", "the backend's answer is larger than the gateway takes");
        return;
      }
      status = response.code();
      for (String name : response.headers().names()) {
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
          headers.put(name, response.headers(name));
        }
      }
    } catch (InterruptedIOException e) {
      error(exchange, 504, "gateway_timeout", "the backend did not answer in time");
      return;
    } catch (IOException e) {
      error(exchange, 502, "bad_gateway", "the backend could not be reached");
      return;
    }
    headers.set(BACKEND_HEADER, service);
    send(exchange, status, answer);
  }

  private static Request request(HttpExchange exchange, HttpUrl base, byte[] body) {
    URI uri = exchange.getRequestURI();
    String basePath =
        base.encodedPath().endsWith("/")
            ? base.encodedPath().substring(0, base.encodedPath().length() - 1)
            : base.encodedPath();
    HttpUrl url =
        base.newBuilder()
            .encodedPath(basePath + (uri.getRawPath() == null ? "/" : uri.getRawPath()))
            .encodedQuery(uri.getRawQuery())
            .build();
    Request.Builder request = new Request.Builder().url(url);
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        request.addHeader(header.getKey(), value);
      }
    }
    String method = exchange.getRequestMethod();
    boolean bodiless = method.equals("GET") || method.equals("HEAD");
    // The Content-Type header passes on as the client sent it, so the body declares none.
    return request.method(method, bodiless ? null : RequestBody.create(body, null)).build();
  }

  /** The stream's bytes, or null when there are more than {@code limit}. */
  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    try (in) {
      byte[] bytes = in.readNBytes(limit + 1);
      return bytes.length > limit ? null : bytes;
    }
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", message);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, (root + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    // -1: no body at all, which HEAD, 204 and 304 answers need; an empty body is the same thing.
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops serving and watching; requests in flight are cut off. Leaves no thread behind. */
  @Override
  public void close() {
    server.stop(0);
    http.dispatcher().cancelAll();
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(10, TimeUnit.SECONDS)) {
        handlers.shutdownNow();
      }
    } catch (InterruptedException e) {
      handlers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    informer.close();
    http.connectionPool().evictAll();
  }
}
