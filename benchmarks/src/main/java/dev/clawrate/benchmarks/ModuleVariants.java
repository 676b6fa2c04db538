package dev.clawrate.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Distinct versions of one module: the same code with a custom section appended whose payload names
 * the version. Each has its own digest, so every update is a real new module that the operator and
 * the raters must validate and compile, not one they have cached.
 */
final class ModuleVariants {

  private ModuleVariants() {}

  static byte[] variant(byte[] module, String version) {
    byte[] name = "clawrate.version".getBytes(StandardCharsets.UTF_8);
    byte[] payload = version.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    leb128(content, name.length);
    content.writeBytes(name);
    content.writeBytes(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0); // custom section id
    leb128(out, content.size());
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  private static void leb128(ByteArrayOutputStream out, int value) {
    int remaining = value;
    do {
      int b = remaining & 0x7f;
      remaining >>>= 7;
      out.write(remaining == 0 ? b : b | 0x80);
    } while (remaining != 0);
  }
}
