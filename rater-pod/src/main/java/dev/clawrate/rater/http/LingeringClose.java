package dev.clawrate.rater.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Before a connection is closed after an error answer, reads and discards what the client still
 * sends, for a while. Closing a socket with unread bytes in it makes the kernel answer with a
 * reset, and a client still sending a body (an oversized chunked one, say) then loses the 413 it
 * was sent and sees only "connection reset". Bounded in time and bytes, so a client cannot keep the
 * connection open this way.
 */
final class LingeringClose implements ExchangeCompletionListener {

  private final long timeoutMillis;
  private final long maxBytes;

  LingeringClose(Duration timeout, long maxBytes) {
    this.timeoutMillis = timeout.toMillis();
    this.maxBytes = maxBytes;
  }

  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
    if (exchange.isPersistent()
        || exchange.getStatusCode() < 400
        || !(exchange.getConnection() instanceof AbstractServerConnection connection)
        || !connection.isOpen()) {
      next.proceed();
      return;
    }
    Drain drain = new Drain(connection, next);
    if (exchange.isInIoThread()) {
      drain.start();
    } else {
      connection.getIoThread().execute(drain::start);
    }
  }

  /** One connection's drain; runs on its network thread. */
  private final class Drain {
    private final AbstractServerConnection connection;
    private final NextListener next;
    private final ConduitStreamSourceChannel source;
    private XnioExecutor.Key deadline;
    private long drained;
    private boolean done;

    Drain(AbstractServerConnection connection, NextListener next) {
      this.connection = connection;
      this.next = next;
      this.source = connection.getChannel().getSourceChannel();
    }

    void start() {
      StreamConnection channel = connection.getChannel();
      // The request's own conduit (chunked, fixed length) has given up on the body; read below it.
      source.setConduit(connection.getOriginalSourceConduit());
      try {
        connection.getOriginalSinkConduit().terminateWrites();
        connection.getOriginalSinkConduit().flush();
      } catch (IOException e) {
        finish();
        return;
      }
      deadline =
          channel.getIoThread().executeAfter(this::finish, timeoutMillis, TimeUnit.MILLISECONDS);
      source.setReadListener(ignored -> read());
      read();
    }

    private void read() {
      if (done) {
        return;
      }
      try (PooledByteBuffer pooled = connection.getByteBufferPool().allocate()) {
        while (true) {
          pooled.getBuffer().clear();
          int read = source.read(pooled.getBuffer());
          if (read == 0) {
            source.resumeReads();
            return;
          }
          if (read < 0) {
            break;
          }
          drained += read;
          if (drained > maxBytes) {
            break;
          }
        }
      } catch (IOException e) {
        // The client went away: nothing left to protect.
      }
      finish();
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      if (deadline != null) {
        deadline.remove();
      }
      source.suspendReads();
      source.setReadListener(null);
      next.proceed();
    }
  }
}
