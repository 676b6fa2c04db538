package dev.clawrate.operator.alert.notify;

import dev.clawrate.operator.alert.AlertState;
import dev.clawrate.operator.alert.Notification;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;

/** What every payload writes the same way: cut texts, numbers, times and usable links. */
final class Texts {

  static final String ELLIPSIS = "…";

  private Texts() {}

  /**
   * {@code text} in at most {@code max} UTF-16 units (what receivers' limits count), ending in an
   * ellipsis when cut; a surrogate pair is never split.
   */
  static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - ELLIPSIS.length();
    if (end <= 0) {
      return ELLIPSIS;
    }
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  /** "FIRING" or "RESOLVED", the word every human-facing text starts with. */
  static String statePrefix(Notification n) {
    return n.state() == AlertState.FIRING ? "FIRING" : "RESOLVED";
  }

  /**
   * A burn rate for people and string-typed fields: at most two decimals, or Prometheus' {@code
   * +Inf} (a burn rate is infinite when an objective of 100% leaves no budget). NaN is never
   * written: callers leave the field out.
   */
  static String number(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return BigDecimal.valueOf(value)
        .setScale(2, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** ISO-8601 in UTC, as PagerDuty and Alertmanager read it. */
  static String time(Instant instant) {
    return instant.toString();
  }

  /** The links a receiver can open: an http(s) address, so a button or link never leads nowhere. */
  static List<Notification.Link> links(Notification n) {
    return n.links().stream()
        .filter(link -> link != null && link.href() != null && HttpUrl.parse(link.href()) != null)
        .toList();
  }

  static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
