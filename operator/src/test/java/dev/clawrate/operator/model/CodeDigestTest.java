package dev.clawrate.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CodeDigestTest {

  /** A custom section (id 0) with a name of one byte and the payload, appended. */
  static byte[] withCustomSection(byte[] module, String payload) {
    byte[] data = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(module);
    out.write(0);
    out.write(2 + data.length);
    out.write(1);
    out.write('v');
    out.writeBytes(data);
    return out.toByteArray();
  }

  @Test
  void modulesThatDifferOnlyInCustomSectionsShareTheirCode() {
    byte[] module = Fixtures.module("constant-a");
    byte[] one = withCustomSection(module, "m1");
    byte[] two = withCustomSection(withCustomSection(module, "m2"), "more");
    assertNotEquals(ModuleDigest.of(one), ModuleDigest.of(two));
    assertNotNull(CodeDigest.of(module));
    assertEquals(CodeDigest.of(module), CodeDigest.of(one));
    assertEquals(CodeDigest.of(module), CodeDigest.of(two));
  }

  @Test
  void differentCodeHasADifferentDigest() {
    assertNotEquals(
        CodeDigest.of(Fixtures.module("constant-a")), CodeDigest.of(Fixtures.module("constant-b")));
  }

  @Test
  void sectionsThatCannotBeWalkedHaveNoCodeDigest() {
    byte[] module = withCustomSection(Fixtures.module("constant-a"), "m1");
    assertNull(CodeDigest.of(Arrays.copyOf(module, module.length - 1)));
    assertNull(CodeDigest.of(new byte[] {0, 'a', 's', 'm'}));
    byte[] code = Fixtures.module("constant-a");
    byte[] endlessSize = Arrays.copyOf(code, code.length + 6);
    Arrays.fill(endlessSize, code.length, endlessSize.length, (byte) 0x80);
    assertNull(CodeDigest.of(endlessSize));
  }
}
