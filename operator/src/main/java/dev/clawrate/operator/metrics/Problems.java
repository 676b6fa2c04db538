package dev.clawrate.operator.metrics;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * Why a read failed, in this operator's words: an exception's message may quote a host, a URL or
 * what the other side sent, so only its kind is told.
 */
final class Problems {

  private Problems() {}

  static String of(Throwable e) {
    if (e instanceof BodyTooLargeException tooLarge) {
      return "the body is larger than " + tooLarge.maxBytes() + " bytes";
    }
    if (e instanceof ReadLimitException) {
      return e.getMessage();
    }
    if (e instanceof InterruptedIOException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof IOException) {
      return "I/O error (" + e.getClass().getSimpleName() + ")";
    }
    return "failed (" + e.getClass().getSimpleName() + ")";
  }

  static String ofStatus(int code) {
    return "HTTP " + code;
  }
}
