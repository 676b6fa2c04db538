package dev.clawrate.rater.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.function.LongConsumer;

/** Answers 431 headers_too_large to a request whose head is over the limits, before routing. */
final class HeaderLimitHandler implements HttpHandler {

  private final HttpHandler next;
  private final HeaderBudget budget;
  private final Responses responses;
  private final LongConsumer refused;

  /**
   * @param refused told the nanoseconds spent on each refused request, for the request metric
   */
  HeaderLimitHandler(
      HttpHandler next, HeaderBudget budget, Responses responses, LongConsumer refused) {
    this.next = next;
    this.budget = budget;
    this.responses = responses;
    this.refused = refused;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    long start = System.nanoTime();
    String excess = budget.excess(exchange.getRequestHeaders(), requestLineBytes(exchange));
    if (excess == null) {
      next.handleRequest(exchange);
      return;
    }
    responses.sendError(exchange, ApiError.HEADERS_TOO_LARGE, excess);
    refused.accept(System.nanoTime() - start);
  }

  private static int requestLineBytes(HttpServerExchange exchange) {
    String query = exchange.getQueryString();
    return exchange.getRequestMethod().length()
        + 1
        + exchange.getRequestURI().length()
        + (query == null || query.isEmpty() ? 0 : query.length() + 1)
        + 1
        + exchange.getProtocol().length();
  }
}
