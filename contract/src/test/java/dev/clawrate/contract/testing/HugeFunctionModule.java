package dev.clawrate.contract.testing;

import static dev.clawrate.contract.testing.WasmBytes.bytes;
import static dev.clawrate.contract.testing.WasmBytes.concat;
import static dev.clawrate.contract.testing.WasmBytes.name;
import static dev.clawrate.contract.testing.WasmBytes.section;
import static dev.clawrate.contract.testing.WasmBytes.uleb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A rating model whose {@code rate} function is too large for one JVM method, so Chicory's compiler
 * leaves it to the interpreter: the behaviour of {@code constant-a} (it answers {@value #OUTPUT}),
 * with a long run of additions before the answer. Generated, since its text form would be tens of
 * thousands of lines.
 */
public final class HugeFunctionModule {

  public static final String OUTPUT = "{\"rating\":700,\"version\":\"a\"}";

  /** Function index of {@code rate}: {@code alloc} is 0, nothing is imported. */
  public static final int RATE_FUNCTION = 1;

  // Each addition is a handful of JVM bytes; this many pass the 64 KB method limit twice over.
  private static final int ADDITIONS = 30_000;
  private static final int OUTPUT_OFFSET = 16;

  private HugeFunctionModule() {}

  public static byte[] module() {
    byte[] output = OUTPUT.getBytes(StandardCharsets.UTF_8);
    byte[] types =
        concat(
            uleb(2),
            // alloc: (i32) -> i32
            bytes(0x60, 1, 0x7f, 1, 0x7f),
            // rate: (i32, i32) -> i64
            bytes(0x60, 2, 0x7f, 0x7f, 1, 0x7e));
    byte[] functions = bytes(2, 0, 1);
    byte[] memory = bytes(1, 0x00, 2);
    // $heap: mutable i32 starting at 4096 (signed LEB128 0x80 0x20).
    byte[] globals = bytes(1, 0x7f, 0x01, 0x41, 0x80, 0x20, 0x0b);
    byte[] exports =
        concat(
            uleb(3),
            name("memory"),
            bytes(0x02, 0),
            name("alloc"),
            bytes(0x00, 0),
            name("rate"),
            bytes(0x00, 1));
    byte[] code = concat(uleb(2), body(allocBody()), body(rateBody(output.length)));
    byte[] data =
        concat(uleb(1), bytes(0x00, 0x41, OUTPUT_OFFSET, 0x0b), uleb(output.length), output);
    return WasmBytes.module(
        section(1, types),
        section(3, functions),
        section(5, memory),
        section(6, globals),
        section(7, exports),
        section(10, code),
        section(11, data));
  }

  private static byte[] body(byte[] localsAndCode) {
    return concat(uleb(localsAndCode.length), localsAndCode);
  }

  /** Bumps $heap by the length asked for and returns where it was. */
  private static byte[] allocBody() {
    return bytes(
        1, 1, 0x7f, // one i32 local, $p
        0x23, 0, 0x21, 1, // $p = $heap
        0x23, 0, 0x20, 0, 0x6a, 0x24, 0, // $heap += $len
        0x20, 1, 0x0b);
  }

  /** Adds one to a local {@link #ADDITIONS} times, resets $heap, returns the output's place. */
  private static byte[] rateBody(int outputLength) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(bytes(1, 1, 0x7f)); // one i32 local, the counter (index 2)
    byte[] addition = bytes(0x20, 2, 0x41, 1, 0x6a, 0x21, 2);
    for (int i = 0; i < ADDITIONS; i++) {
      out.writeBytes(addition);
    }
    out.writeBytes(bytes(0x41, 0x80, 0x20, 0x24, 0)); // $heap = 4096
    // (OUTPUT_OFFSET << 32) | length
    out.writeBytes(bytes(0x42, OUTPUT_OFFSET, 0x42, 32, 0x86, 0x42, outputLength, 0x84, 0x0b));
    return out.toByteArray();
  }
}
