package dev.clawrate.rater.http;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;

/**
 * The size and number of a request's header lines, against the rater's limits. Undertow's own
 * limits are set higher (see {@link HttpLimits#HARD_LIMIT_FACTOR}) so that a head over ours still
 * reaches a handler and gets its answer in the API's shape.
 */
final class HeaderBudget {

  // ": " and CRLF around each header line, CRLF after the request line.
  private static final int LINE_OVERHEAD = 4;

  private final int maxBytes;
  private final int maxHeaders;

  HeaderBudget(int maxBytes, int maxHeaders) {
    this.maxBytes = maxBytes;
    this.maxHeaders = maxHeaders;
  }

  /**
   * @param requestLineBytes the length of the method, target and protocol
   * @return why the head is over the limits, or null when it is within them
   */
  String excess(HeaderMap headers, int requestLineBytes) {
    long bytes = requestLineBytes + 2L;
    int count = 0;
    for (HeaderValues values : headers) {
      int name = values.getHeaderName().length();
      for (int i = 0; i < values.size(); i++) {
        bytes += name + values.get(i).length() + LINE_OVERHEAD;
        count++;
      }
    }
    if (count > maxHeaders) {
      return "request has " + count + " header lines; at most " + maxHeaders + " are allowed";
    }
    if (bytes > maxBytes) {
      return "request line and headers are "
          + bytes
          + " bytes; at most "
          + maxBytes
          + " are allowed";
    }
    return null;
  }
}
