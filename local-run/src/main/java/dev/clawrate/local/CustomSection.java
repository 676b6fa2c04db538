package dev.clawrate.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Appends a custom section to a Wasm module. A runtime ignores custom sections, so the result
 * answers exactly as the module does, under a new digest: a new version of a model with the same
 * behaviour, which is what a good canary looks like in the demo and the tests.
 */
public final class CustomSection {

  private CustomSection() {}

  public static byte[] append(byte[] module, String name, String payload) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] data = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    writeLeb128(content, nameBytes.length);
    content.writeBytes(nameBytes);
    content.writeBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0);
    writeLeb128(out, content.size());
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static void writeLeb128(ByteArrayOutputStream out, int value) {
    int rest = value;
    do {
      int b = rest & 0x7f;
      rest >>>= 7;
      out.write(rest == 0 ? b : b | 0x80);
    } while (rest != 0);
  }
}
