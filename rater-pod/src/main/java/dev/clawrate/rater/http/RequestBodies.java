package dev.clawrate.rater.http;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.RatingException;
import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Request bodies: the Content-Encoding check, and gzip decoding with the size limit enforced while
 * inflating, so a gzip bomb is stopped at the limit plus one byte, never inflated into memory. The
 * raw bytes themselves are read by Undertow under a limit set before reading.
 */
final class RequestBodies {

  /** gzip's own framing can make a small incompressible body slightly larger than itself. */
  static final int GZIP_OVERHEAD = 1024;

  /** The body bytes and how many of them are valid. */
  record Body(byte[] bytes, int length) {}

  private RequestBodies() {}

  /**
   * @return whether the body is gzipped
   * @throws RatingException UNSUPPORTED_MEDIA_TYPE for any other coding
   */
  static boolean isGzip(String contentEncoding) throws RatingException {
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

  /**
   * Caps the raw bytes read for this request. A body of known length is checked against it before
   * reading; a chunked one is capped by the receiver, as Undertow's own chunked cap prints a stack
   * trace to stderr and cuts the connection before an answer can be sent.
   */
  static void capRead(HttpServerExchange exchange, long rawLimit) {
    if (exchange.getRequestContentLength() >= 0) {
      exchange.setMaxEntitySize(rawLimit);
    } else {
      exchange.getRequestReceiver().setMaxBufferSize((int) Math.min(Integer.MAX_VALUE, rawLimit));
    }
  }

  /** The most raw bytes worth reading for a body whose decoded size may be {@code limit}. */
  static long rawLimit(int limit, boolean gzip) {
    return gzip ? (long) limit + GZIP_OVERHEAD : limit;
  }

  /**
   * The body as the model sees it: decoded, at most {@code limit} bytes, and valid UTF-8 (a model
   * is promised UTF-8 JSON, so anything else is the client's error and never reaches it).
   */
  static Body decode(byte[] raw, boolean gzip, int limit) throws RatingException {
    Body body = inflate(raw, gzip, limit);
    int invalid = Utf8.firstInvalid(body.bytes(), body.length());
    if (invalid >= 0) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body is not valid UTF-8 (at byte " + invalid + ")");
    }
    return body;
  }

  /**
   * What a failed body read means. Undertow reports a body over the cap as a read failure, at times
   * wrapped in another.
   */
  static RatingException readFailure(IOException error, int limit) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof Receiver.RequestToLargeException
          || cause instanceof RequestTooBigException) {
        return tooLarge(limit);
      }
    }
    return new RatingException(
        Outcome.BAD_REQUEST, "request body cannot be read: " + error.getMessage());
  }

  private static Body inflate(byte[] raw, boolean gzip, int limit) throws RatingException {
    if (!gzip) {
      if (raw.length > limit) {
        throw tooLarge(limit);
      }
      return new Body(raw, raw.length);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 4096)) {
      byte[] buffer = new byte[Math.min(limit + 1, Math.max(raw.length * 4, 1024))];
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
    } catch (ZipException | EOFException e) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new RatingException(
          Outcome.BAD_REQUEST, "request body cannot be read: " + e.getMessage());
    }
  }

  static RatingException tooLarge(int limit) {
    return new RatingException(
        Outcome.PAYLOAD_TOO_LARGE,
        "request body is larger than this tenant's limit of " + limit + " bytes");
  }
}
