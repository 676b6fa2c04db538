package dev.clawrate.contract.engine;

import com.dylibso.chicory.wasm.ChicoryException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chicory's errors as one short reason a model author can read. Its messages run the wordings of
 * several spec tests together and quote what it read (bytes as signed arrays, offsets, values); a
 * rejection reason travels to status conditions, Events, heartbeats and logs, so it is either one
 * of the sentences below or the leading words of the message, never what follows them.
 */
final class EngineMessages {

  /** Wordings that name a problem better than the clause they come with; checked in order. */
  private static final List<Map.Entry<String, String>> KNOWN =
      List.of(
          Map.entry("malformed section id", "it has a section of an unknown kind"),
          Map.entry(
              "unexpected end",
              "a section ends before its contents do, so it is truncated or corrupt"));

  private static final Pattern LEADING_WORDS = Pattern.compile("[A-Za-z][A-Za-z ]*");

  private EngineMessages() {}

  /**
   * @param fallback what to say when the error has no words worth keeping
   */
  static String reason(RuntimeException e, String fallback) {
    String message = e.getMessage();
    if (e instanceof ChicoryException && message != null) {
      for (Map.Entry<String, String> known : KNOWN) {
        if (message.contains(known.getKey())) {
          return known.getValue();
        }
      }
      Matcher words = LEADING_WORDS.matcher(message);
      if (words.lookingAt()) {
        String kept = words.group().trim();
        if (kept.contains(" ")) {
          return kept;
        }
      }
    }
    if (e instanceof IndexOutOfBoundsException) {
      return "it ends unexpectedly";
    }
    return fallback;
  }
}
