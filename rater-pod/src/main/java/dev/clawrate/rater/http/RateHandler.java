package dev.clawrate.rater.http;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.audit.AuditLog;
import dev.clawrate.rater.metrics.RaterMetrics;
import dev.clawrate.rater.rating.Answer;
import dev.clawrate.rater.rating.ApiKeyCheck;
import dev.clawrate.rater.rating.FallbackAnswer;
import dev.clawrate.rater.rating.OverNetworkBudgetException;
import dev.clawrate.rater.rating.Rater;
import dev.clawrate.rater.rating.Rating;
import dev.clawrate.rater.rating.RatingException;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.shadow.ShadowEvaluator;
import dev.clawrate.rater.shadow.ShadowRoute;
import dev.clawrate.rater.snapshot.LiveSnapshot;
import dev.clawrate.rater.snapshot.LoadedSnapshot;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * {@code POST /v1/rate}: takes the live snapshot once, so a reload in the middle of the request
 * cannot change the model under it, then checks the request, rates it and answers. When the tenant
 * has a shadow and its model rated, the request is then offered to the shadow, after the answer is
 * sent.
 */
final class RateHandler implements HttpHandler {

  static final HttpString TENANT_HEADER = new HttpString("X-Tenant-Id");
  static final HttpString API_KEY_HEADER = new HttpString("X-Api-Key");
  static final HttpString REVISION_HEADER = new HttpString("X-Clawrate-Revision");
  static final HttpString FALLBACK_HEADER = new HttpString("X-Clawrate-Fallback");

  private static final Logger LOG = LoggerFactory.getLogger(RateHandler.class);

  private final LiveSnapshot live;
  private final RaterMetrics metrics;
  private final Responses responses;
  private final RatingPlacement placement;
  private final ShadowEvaluator shadows;
  private final AuditLog audit;

  RateHandler(
      LiveSnapshot live,
      RaterMetrics metrics,
      Responses responses,
      RatingPlacement placement,
      ShadowEvaluator shadows,
      AuditLog audit) {
    this.live = live;
    this.metrics = metrics;
    this.responses = responses;
    this.placement = placement;
    this.shadows = shadows;
    this.audit = audit;
  }

  /**
   * Runs on a network thread: checks what the headers can tell, reads the body without blocking,
   * then rates it right there when the model is known to be quick, or on a worker thread within its
   * model's and tenant's shares otherwise (see {@link RatingPlacement}).
   */
  @Override
  public void handleRequest(HttpServerExchange exchange) {
    long start = System.nanoTime();
    LoadedSnapshot snapshot = live.current();
    String tenant = exchange.getRequestHeaders().getFirst(TENANT_HEADER);
    TenantRoute route = null;
    try {
      if (snapshot == null) {
        throw new RatingException(
            Outcome.NO_CONFIG, "no config snapshot is loaded yet; retry shortly");
      }
      if (tenant == null || tenant.isBlank()) {
        throw new RatingException(Outcome.BAD_REQUEST, "header X-Tenant-Id is required");
      }
      route = snapshot.tenants().get(tenant);
      if (route == null) {
        throw new RatingException(Outcome.UNKNOWN_TENANT, "unknown tenant '" + tenant + "'");
      }
      ApiKeyCheck.verify(route, apiKey(exchange));
      checkMediaType(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
      boolean gzip =
          RequestBodies.isGzip(exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
      int limit = route.maxInputBytes();
      long rawLimit = RequestBodies.rawLimit(limit, gzip);
      if (exchange.getRequestContentLength() > rawLimit) {
        throw RequestBodies.tooLarge(limit);
      }
      RequestBodies.capRead(exchange, rawLimit);
      TenantRoute routed = route;
      exchange
          .getRequestReceiver()
          .receiveFullBytes(
              (ex, raw) -> rateOrDispatch(ex, snapshot, routed, raw, gzip, limit, start),
              (ex, error) -> {
                if (ex.isResponseStarted()) {
                  return; // the receiver may report a body over its cap more than once
                }
                RatingException failure = RequestBodies.readFailure(error, limit);
                fail(ex, routed, tenant, failure.outcome(), failure.getMessage(), start);
              });
    } catch (RatingException e) {
      fail(exchange, route, tenant, e.outcome(), e.getMessage(), start);
    }
  }

  private void rateOrDispatch(
      HttpServerExchange exchange,
      LoadedSnapshot snapshot,
      TenantRoute route,
      byte[] raw,
      boolean gzip,
      int limit,
      long start) {
    placement.place(
        exchange,
        snapshot,
        route,
        gzip ? limit : raw.length,
        new RatingPlacement.Work() {
          @Override
          public Outcome rate(int boundMillis) {
            return RateHandler.this.rate(
                exchange,
                snapshot,
                route,
                raw,
                gzip,
                limit,
                start,
                body -> Rater.rate(route, body.bytes(), body.length(), boundMillis));
          }

          @Override
          public void overloaded(String message, boolean callFallbackModel) {
            RateHandler.this.rate(
                exchange,
                snapshot,
                route,
                raw,
                gzip,
                limit,
                start,
                body ->
                    Rater.rateOverloaded(
                        route, body.bytes(), body.length(), message, callFallbackModel));
          }
        });
  }

  /** How a decoded request body is answered. */
  private interface Answering {
    Answer answer(RequestBodies.Body body) throws RatingException;
  }

  /**
   * @return the outcome answered
   * @throws OverNetworkBudgetException when a model call ran past a network thread's bound; nothing
   *     was answered
   */
  private Outcome rate(
      HttpServerExchange exchange,
      LoadedSnapshot snapshot,
      TenantRoute route,
      byte[] raw,
      boolean gzip,
      int limit,
      long start,
      Answering answering) {
    try {
      RequestBodies.Body body = RequestBodies.decode(raw, gzip, limit);
      Answer answer = answering.answer(body);
      exchange.getResponseHeaders().put(REVISION_HEADER, snapshot.revision());
      if (answer instanceof FallbackAnswer fallback) {
        exchange.getResponseHeaders().put(FALLBACK_HEADER, fallback.reason().label());
      }
      responses.send(exchange, 200, Responses.JSON, answer.responseBody());
      audit.answered(
          RequestIdHandler.of(exchange),
          snapshot,
          answer,
          body.bytes(),
          body.length(),
          System.nanoTime() - start);
      if (answer instanceof Rating rating) {
        metrics.request(route, Outcome.OK, System.nanoTime() - start);
        metrics.rating(route, rating.value(), rating.decision());
        ShadowRoute shadow = snapshot.shadows().get(route.tenant());
        if (shadow != null) {
          shadows.offer(shadow, body.bytes(), body.length(), rating);
        }
      } else if (answer instanceof FallbackAnswer fallback) {
        metrics.request(route, Outcome.FALLBACK, System.nanoTime() - start);
        metrics.fallback(fallback);
        logFallback(fallback);
      }
      return answer instanceof Rating ? Outcome.OK : Outcome.FALLBACK;
    } catch (RatingException e) {
      fail(exchange, route, route.tenant(), e.outcome(), e.getMessage(), start);
      return e.outcome();
    } catch (OverNetworkBudgetException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.atError()
          .setCause(e)
          .addKeyValue("tenant", route.tenant())
          .log("rating request failed unexpectedly");
      fail(exchange, route, route.tenant(), Outcome.INTERNAL_ERROR, "internal error", start);
      return Outcome.INTERNAL_ERROR;
    }
  }

  private void fail(
      HttpServerExchange exchange,
      TenantRoute route,
      String tenant,
      Outcome outcome,
      String message,
      long start) {
    ApiError error = ApiError.of(outcome);
    responses.sendError(exchange, error, message);
    long nanos = System.nanoTime() - start;
    audit.failed(
        RequestIdHandler.of(exchange), live.current(), route, error.status, error.code, nanos);
    if (route != null) {
      metrics.request(route, outcome, nanos);
    } else {
      metrics.unroutedRequest(live.track(), outcome, nanos);
    }
    if (outcome.isServerError()) {
      LOG.atWarn()
          .addKeyValue("tenant", tenant)
          .addKeyValue("model", route == null ? null : route.model())
          .addKeyValue("digest", route == null ? null : route.digest())
          .addKeyValue("outcome", outcome.label())
          .addKeyValue("error", message)
          .log("rating failed");
    }
  }

  private static void logFallback(FallbackAnswer fallback) {
    TenantRoute route = fallback.route();
    LoggingEventBuilder event =
        LOG.atWarn()
            .addKeyValue("tenant", route.tenant())
            .addKeyValue("model", route.model())
            .addKeyValue("digest", route.digest())
            .addKeyValue("reason", fallback.reason().label())
            .addKeyValue("answer", fallback.answeredBy().label());
    if (fallback.fallbackModel() != null) {
      event = event.addKeyValue("fallbackModel", fallback.fallbackModel());
    }
    event.addKeyValue("error", fallback.modelError()).log("model failed; its fallback answered");
  }

  private static String apiKey(HttpServerExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return exchange.getRequestHeaders().getFirst(API_KEY_HEADER);
  }

  private static void checkMediaType(String contentType) throws RatingException {
    if (contentType != null) {
      String[] parts = contentType.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean utf8 = true;
      for (int i = 1; i < parts.length; i++) {
        String param = parts[i].trim().toLowerCase(Locale.ROOT);
        if (param.startsWith("charset=")) {
          String charset = param.substring(8).replace("\"", "");
          utf8 = charset.equals("utf-8") || charset.equals("utf8");
        }
      }
      if (type.equals(Responses.JSON) && utf8) {
        return;
      }
    }
    throw new RatingException(
        Outcome.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be application/json (UTF-8), got "
            + (contentType == null ? "none" : "'" + contentType + "'"));
  }
}
