package dev.clawrate.rater.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void aSafeIdIsKept() {
    for (String id :
        new String[] {"a", "req-42", "0a1b2c3d-4e5f-6789-abcd-ef0123456789", "trace:span.1_x"}) {
      assertEquals(id, RequestIds.acceptOrGenerate(id));
    }
    assertEquals("x".repeat(128), RequestIds.acceptOrGenerate("x".repeat(128)));
  }

  @Test
  void anUnsafeOrMissingIdIsReplaced() {
    for (String id :
        new String[] {
          null,
          "",
          "x".repeat(129),
          "has space",
          "new\nline",
          "quote\"",
          "semi;colon",
          "slash/",
          "ünïcode",
          "tab\t"
        }) {
      String replaced = RequestIds.acceptOrGenerate(id);
      assertNotEquals(id, replaced);
      assertTrue(RequestIds.isValid(replaced), replaced);
    }
  }

  @Test
  void generatedIdsAreValidUuidsAndDistinct() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.generate();
      assertTrue(
          id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
      ids.add(id);
    }
    assertEquals(10_000, ids.size());
    assertFalse(RequestIds.isValid(null));
  }
}
