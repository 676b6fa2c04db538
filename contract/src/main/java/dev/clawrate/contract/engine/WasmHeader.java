package dev.clawrate.contract.engine;

/**
 * The eight bytes every WebAssembly binary starts with. Checked before the parser runs, so that a
 * file that is not Wasm at all is called that, rather than described by the parser's complaint
 * about its first bytes.
 */
final class WasmHeader {

  private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d};
  private static final byte[] VERSION_1 = {0x01, 0x00, 0x00, 0x00};

  private WasmHeader() {}

  /** Why {@code bytes} cannot be a module this rater runs, or null when the header is fine. */
  static String problem(byte[] bytes) {
    if (!startsWith(bytes, 0, MAGIC)) {
      return "not a WebAssembly module: it does not start with the \\0asm magic number";
    }
    if (bytes.length < MAGIC.length + VERSION_1.length) {
      return "not a valid WebAssembly module: it ends inside its 8-byte header";
    }
    if (!startsWith(bytes, MAGIC.length, VERSION_1)) {
      return "not a WebAssembly module this rater can run: its binary format version is not 1";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] expected) {
    if (bytes.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (bytes[offset + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
