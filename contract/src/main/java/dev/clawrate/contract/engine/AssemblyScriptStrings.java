package dev.clawrate.contract.engine;

import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;

/** Reads the message an AssemblyScript model passes to {@code env.abort}, defensively. */
final class AssemblyScriptStrings {

  private static final int MAX_CHARS = 256;

  private AssemblyScriptStrings() {}

  /** AssemblyScript strings are UTF-16LE with their byte length stored just before them. */
  static String read(Memory memory, int ptr) {
    try {
      long limit = (long) memory.pages() * WasmAbi.PAGE_BYTES;
      if (ptr < 4 || ptr > limit) {
        return "(no message)";
      }
      int byteLength = memory.readInt(ptr - 4);
      if (byteLength < 0 || ptr + (long) byteLength > limit) {
        return "(unreadable message)";
      }
      int length = Math.min(byteLength, MAX_CHARS * 2) & ~1;
      return new String(memory.readBytes(ptr, length), StandardCharsets.UTF_16LE);
    } catch (RuntimeException e) {
      return "(unreadable message)";
    }
  }
}
