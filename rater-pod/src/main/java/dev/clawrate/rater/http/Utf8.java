package dev.clawrate.rater.http;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates (ED A0..BF), nothing above
 * U+10FFFF, no truncated sequences. Walks the bytes once and allocates nothing, unlike a
 * CharsetDecoder, since every request body passes here.
 */
final class Utf8 {

  private Utf8() {}

  /**
   * @return the offset of the first byte of the first invalid sequence, or -1 when valid
   */
  static int firstInvalid(byte[] bytes, int length) {
    int i = 0;
    while (i < length) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int lead = b & 0xFF;
      int size;
      int min = 0x80;
      int max = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        size = 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        size = 3;
        if (lead == 0xE0) {
          min = 0xA0; // below is an overlong form
        } else if (lead == 0xED) {
          max = 0x9F; // above are the UTF-16 surrogates
        }
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        size = 4;
        if (lead == 0xF0) {
          min = 0x90; // below is an overlong form
        } else if (lead == 0xF4) {
          max = 0x8F; // above is beyond U+10FFFF
        }
      } else {
        return i; // a continuation byte without a lead, C0/C1 (overlong) or F5..FF
      }
      if (i + size > length) {
        return i;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < min || second > max) {
        return i;
      }
      for (int k = 2; k < size; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += size;
    }
    return -1;
  }
}
