package dev.clawrate.operator.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of a parse's names and label values, each made once for as long as it recurs. A
 * rater's exposition repeats the same few dozen strings on nearly every line (metric and label
 * names, a tenant's id on each of its seventy lines, the model, the digest, the bucket bounds):
 * made afresh each time they were most of what a parse allocated.
 *
 * <p>Two levels. A text is first compared with the one last seen at the same place of a line (the
 * n-th label's value, say), which consecutive lines of a series mostly repeat; that costs one
 * vectorised comparison. Else it is looked up by hash in a direct-mapped cache: a string that
 * recurs after others took its slot is made again, never wrong. Used by one parse on one thread.
 */
final class TextInterner {

  private static final int SLOTS = 4096;
  private static final int PLACES = 64;

  /** Longer texts are rare and seldom repeat; they are made each time, not kept. */
  private static final int MAX_KEPT_LENGTH = 256;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];
  private final byte[][] lastKeys = new byte[PLACES][];
  private final String[] lastStrings = new String[PLACES];

  /**
   * The length of the text last interned at this place of a line when {@code bytes[start, end)}
   * begins with it, else -1: then {@link #last} is that text. The caller checks what follows it.
   */
  int recall(int place, byte[] bytes, int start, int end) {
    byte[] last = place >= 0 && place < PLACES ? lastKeys[place] : null;
    if (last == null
        || end - start < last.length
        || !Arrays.equals(last, 0, last.length, bytes, start, start + last.length)) {
      return -1;
    }
    return last.length;
  }

  /** The text last interned at this place, after {@link #recall} found it again. */
  String last(int place) {
    return lastStrings[place];
  }

  /**
   * The text of {@code bytes[start, end)}, UTF-8 (malformed sequences replaced, never refused).
   *
   * @param place where on its line the text is, e.g. 0 for the metric name; -1 for a text that is
   *     not as it is written (an unescaped label value), which is not remembered there
   */
  String intern(int place, byte[] bytes, int start, int end) {
    boolean remembered = place >= 0 && place < PLACES;
    if (remembered) {
      byte[] last = lastKeys[place];
      if (last != null && Arrays.equals(last, 0, last.length, bytes, start, end)) {
        return lastStrings[place];
      }
    }
    int length = end - start;
    int hash = 0;
    boolean ascii = true;
    for (int i = start; i < end; i++) {
      hash = 31 * hash + bytes[i];
      ascii &= bytes[i] >= 0;
    }
    if (length > MAX_KEPT_LENGTH) {
      return decode(bytes, start, length, ascii);
    }
    int slot = (hash ^ (hash >>> 12)) & (SLOTS - 1);
    byte[] key = keys[slot];
    if (key == null || !Arrays.equals(key, 0, key.length, bytes, start, end)) {
      keys[slot] = Arrays.copyOfRange(bytes, start, end);
      strings[slot] = decode(bytes, start, length, ascii);
    }
    if (remembered) {
      lastKeys[place] = keys[slot];
      lastStrings[place] = strings[slot];
    }
    return strings[slot];
  }

  private static String decode(byte[] bytes, int start, int length, boolean ascii) {
    // ASCII is the same in both; Latin-1 decoding is a plain copy.
    return new String(
        bytes, start, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }
}
