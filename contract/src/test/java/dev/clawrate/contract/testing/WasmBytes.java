package dev.clawrate.contract.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-assembled WebAssembly binaries, for modules the fixtures cannot hold (names that are not
 * identifiers, segments that cannot be placed) without a Wasm toolchain at build time.
 */
public final class WasmBytes {

  public static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  private WasmBytes() {}

  /** The header followed by the given sections. */
  public static byte[] module(byte[]... sections) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(HEADER);
    for (byte[] section : sections) {
      out.writeBytes(section);
    }
    return out.toByteArray();
  }

  /** A section: its id, its size, its content. */
  public static byte[] section(int id, byte[] content) {
    var out = new ByteArrayOutputStream();
    out.write(id);
    out.writeBytes(uleb(content.length));
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** Content of bytes given as ints, for readability. */
  public static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** A name: its UTF-8 length, then its bytes. */
  public static byte[] name(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    return concat(uleb(utf8.length), utf8);
  }

  public static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public static byte[] uleb(long value) {
    var out = new ByteArrayOutputStream();
    long rest = value;
    do {
      int b = (int) (rest & 0x7f);
      rest >>>= 7;
      out.write(rest == 0 ? b : b | 0x80);
    } while (rest != 0);
    return out.toByteArray();
  }
}
