package dev.clawrate.operator.metrics;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a body no larger than a limit. A body is read from its (decompressed) stream, so a small
 * compressed body that inflates past the limit is refused too.
 */
final class BoundedBody {

  private BoundedBody() {}

  /**
   * @param declaredLength the length the response announced, or -1 when unknown: over the limit,
   *     nothing is read at all
   */
  static byte[] read(InputStream in, long declaredLength, int maxBytes) throws IOException {
    if (declaredLength > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    return bytes;
  }
}
