package dev.clawrate.rater.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Closes the connection of a request whose body has not fully arrived within the body timeout after
 * its headers. Undertow's read timeout restarts with every byte, so it cannot stop a client that
 * sends one byte a second; this bounds the whole body.
 */
final class BodyDeadlineHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(BodyDeadlineHandler.class);

  private final HttpHandler next;
  private final long timeoutMillis;

  BodyDeadlineHandler(HttpHandler next, Duration timeout) {
    this.next = next;
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!exchange.isRequestComplete() && !bodyBuffered(exchange)) {
      XnioExecutor.Key deadline =
          exchange
              .getIoThread()
              .executeAfter(() -> expire(exchange), timeoutMillis, TimeUnit.MILLISECONDS);
      exchange.addExchangeCompleteListener(
          (ended, nextListener) -> {
            deadline.remove();
            nextListener.proceed();
          });
    }
    next.handleRequest(exchange);
  }

  /**
   * Whether the whole body came in with the headers, as a small rating's usually does: then there
   * is nothing to wait for, and no timer is worth its cost on the hot path.
   */
  private static boolean bodyBuffered(HttpServerExchange exchange) {
    long length = exchange.getRequestContentLength();
    if (length < 0 || !(exchange.getConnection() instanceof AbstractServerConnection connection)) {
      return false;
    }
    PooledByteBuffer extra = connection.getExtraBytes();
    return extra != null && extra.getBuffer().remaining() >= length;
  }

  private void expire(HttpServerExchange exchange) {
    if (exchange.isRequestComplete() || !exchange.getConnection().isOpen()) {
      return;
    }
    LOG.atDebug()
        .addKeyValue("timeoutMillis", timeoutMillis)
        .log("request body not received in time; connection closed");
    IoUtils.safeClose(exchange.getConnection());
  }
}
