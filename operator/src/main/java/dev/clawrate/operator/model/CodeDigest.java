package dev.clawrate.operator.model;

import dev.clawrate.contract.engine.ModuleDigest;
import java.io.ByteArrayOutputStream;

/**
 * The digest of what the engine compiles of a module: its bytes without custom sections (id 0),
 * which carry names, versions and other metadata that neither compilation nor execution reads. Two
 * models built from the same code with different metadata compile alike, so the compile of one
 * stands for the other's.
 */
final class CodeDigest {

  private static final int HEADER_BYTES = 8;
  private static final int CUSTOM_SECTION = 0;

  private CodeDigest() {}

  /**
   * @return the digest of the module without its custom sections, or null when its sections cannot
   *     be walked (the engine's own checks say what is wrong with it)
   */
  static String of(byte[] module) {
    if (module.length < HEADER_BYTES) {
      return null;
    }
    ByteArrayOutputStream code = new ByteArrayOutputStream(module.length);
    code.write(module, 0, HEADER_BYTES);
    int at = HEADER_BYTES;
    while (at < module.length) {
      int start = at;
      int id = module[at++] & 0xff;
      long size = 0;
      int shift = 0;
      int b;
      do {
        if (at >= module.length || shift > 28) {
          return null;
        }
        b = module[at++] & 0xff;
        size |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if (size > module.length - at) {
        return null;
      }
      int end = at + (int) size;
      if (id != CUSTOM_SECTION) {
        code.write(module, start, end - start);
      }
      at = end;
    }
    return ModuleDigest.of(code.toByteArray());
  }
}
