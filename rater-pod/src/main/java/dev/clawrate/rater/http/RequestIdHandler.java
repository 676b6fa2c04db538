package dev.clawrate.rater.http;

import dev.clawrate.rater.audit.RequestIds;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;

/**
 * Gives every request of the rating port an id before anything can answer it: the caller's {@code
 * X-Request-Id} when it is valid (see {@link RequestIds}), a new one otherwise. Every answer,
 * errors included, carries it back, and the decision log records it.
 */
final class RequestIdHandler implements HttpHandler {

  static final HttpString REQUEST_ID_HEADER = new HttpString("X-Request-Id");
  private static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);

  private final HttpHandler next;

  RequestIdHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String id =
        RequestIds.acceptOrGenerate(exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER));
    exchange.putAttachment(REQUEST_ID, id);
    exchange.getResponseHeaders().put(REQUEST_ID_HEADER, id);
    next.handleRequest(exchange);
  }

  /** The id given to the exchange's request. */
  static String of(HttpServerExchange exchange) {
    return exchange.getAttachment(REQUEST_ID);
  }
}
