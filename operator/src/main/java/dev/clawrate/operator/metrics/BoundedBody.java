package dev.clawrate.operator.metrics;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bodies no larger than a limit. A body is read from its (decompressed) stream, so a small
 * compressed body that inflates past the limit is refused too.
 */
final class BoundedBody {

  private BoundedBody() {}

  /**
   * The body as a stream that fails with {@link BodyTooLargeException} once it has given more than
   * the limit, for bodies parsed as they stream in.
   *
   * @param declaredLength the length the response announced, or -1 when unknown: over the limit,
   *     nothing is read at all
   */
  static InputStream limited(InputStream in, long declaredLength, int maxBytes)
      throws BodyTooLargeException {
    if (declaredLength > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    return new FilterInputStream(in) {
      private long total;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] bytes, int offset, int length) throws IOException {
        int read = super.read(bytes, offset, length);
        if (read > 0) {
          count(read);
        }
        return read;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
      }

      private void count(long read) throws BodyTooLargeException {
        total += read;
        if (total > maxBytes) {
          throw new BodyTooLargeException(maxBytes);
        }
      }
    };
  }
}
