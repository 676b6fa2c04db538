package dev.clawrate.rater.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One TCP connection to a rater, written byte by byte as a test likes: a client an HTTP library
 * would never imitate (a slow one, a malformed one).
 */
final class RawConnection implements AutoCloseable {

  /** A response: its status and its body (the connection is read up to Content-Length). */
  record Response(int status, String head, String body) {}

  private final Socket socket;
  private final InputStream in;

  RawConnection(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Whether the server closed this connection; waits at most {@code millis} to find out. */
  boolean closedByServer(int millis) {
    try {
      socket.setSoTimeout(millis);
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads one response: its head, then a body of its Content-Length.
   *
   * @throws SocketTimeoutException when none begins within {@code millis}
   */
  Response read(int millis) throws IOException {
    socket.setSoTimeout(millis);
    var head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after " + head.size() + " bytes: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(text.substring(9, 12));
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Response(status, text, new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A complete rating request with a JSON body. */
  static String rating(String tenant, String body, boolean keepAlive) {
    return "POST /v1/rate HTTP/1.1\r\nHost: rater\r\nX-Tenant-Id: "
        + tenant
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + (keepAlive ? "" : "\r\nConnection: close")
        + "\r\n\r\n"
        + body;
  }
}
