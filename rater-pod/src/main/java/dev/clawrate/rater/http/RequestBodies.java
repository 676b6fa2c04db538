package dev.clawrate.rater.http;

import dev.clawrate.contract.metrics.Outcome;
import dev.clawrate.rater.rating.RatingException;
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

  /** The most raw bytes worth reading for a body whose decoded size may be {@code limit}. */
  static long rawLimit(int limit, boolean gzip) {
    return gzip ? (long) limit + GZIP_OVERHEAD : limit;
  }

  /** The body as the model sees it: decoded, and at most {@code limit} bytes. */
  static Body decode(byte[] raw, boolean gzip, int limit) throws RatingException {
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
