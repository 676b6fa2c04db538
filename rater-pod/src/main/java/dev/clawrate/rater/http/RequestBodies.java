package dev.clawrate.rater.http;

import dev.clawrate.rater.rating.Outcome;
import dev.clawrate.rater.rating.RatingException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with its size limit enforced while reading, after decompression: a gzip bomb
 * is stopped at the limit plus one byte, never inflated into memory.
 */
final class RequestBodies {

  /** The body bytes and how many of them are valid. */
  record Body(byte[] bytes, int length) {}

  private RequestBodies() {}

  /** Must run on a worker thread: it blocks on the connection. */
  static Body read(HttpServerExchange exchange, int limit) throws RatingException {
    boolean gzip = isGzip(exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
    long declared = exchange.getRequestContentLength();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    exchange.startBlocking();
    try {
      InputStream in = exchange.getInputStream();
      if (gzip) {
        in = new GZIPInputStream(in, 4096);
      }
      return readBounded(in, limit, declared);
    } catch (ZipException | java.io.EOFException e) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body cannot be read: " + e.getMessage());
    }
  }

  private static Body readBounded(InputStream in, int limit, long declared)
      throws IOException, RatingException {
    int initial =
        declared > 0 ? (int) Math.min(declared + 1, limit + 1L) : Math.min(limit + 1, 8192);
    byte[] buffer = new byte[Math.max(initial, 1)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (length > limit) {
          throw tooLarge(limit);
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit + 1L));
      }
      int read = in.read(buffer, length, buffer.length - length);
      if (read < 0) {
        return new Body(buffer, length);
      }
      length += read;
      if (length > limit) {
        throw tooLarge(limit);
      }
    }
  }

  private static boolean isGzip(String contentEncoding) throws RatingException {
    if (contentEncoding == null) {
      return false;
    }
    String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (coding.isEmpty() || coding.equals("identity")) {
      return false;
    }
    if (coding.equals("gzip") || coding.equals("x-gzip")) {
      return true;
    }
    throw new RatingException(
        Outcome.UNSUPPORTED_MEDIA_TYPE,
        "Content-Encoding '" + contentEncoding + "' is not supported; use gzip or none");
  }

  private static RatingException tooLarge(int limit) {
    return new RatingException(
        Outcome.TOO_LARGE,
        "request body is larger than this tenant's limit of " + limit + " bytes");
  }
}
