package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.MalformedException;
import org.junit.jupiter.api.Test;

class EngineMessagesTest {

  @Test
  void keepsTheLeadingWordsOfTheEnginesMessage() {
    assertEquals(
        "magic header not detected",
        EngineMessages.reason(
            new MalformedException("magic header not detected, found: [121, -125, 77, -89]"),
            "fallback"));
    assertEquals(
        "integer representation too long",
        EngineMessages.reason(
            new MalformedException("integer representation too long: 0x8080808080"), "fallback"));
  }

  @Test
  void namesKnownProblemsInASentenceOfItsOwn() {
    assertEquals(
        "a section ends before its contents do, so it is truncated or corrupt",
        EngineMessages.reason(
            new MalformedException(
                "section size mismatch, unexpected end of section or function, length out of"
                    + " bounds for section10"),
            "fallback"));
    assertEquals(
        "it has a section of an unknown kind",
        EngineMessages.reason(
            new MalformedException("section size mismatch, malformed section id 12"), "fallback"));
    assertEquals(
        "alignment must not be larger than natural alignment",
        EngineMessages.reason(
            new ChicoryException("alignment must not be larger than natural alignment (3)"),
            "fallback"));
  }

  @Test
  void saysSomethingPlainWhenTheMessageHasNoWordsToKeep() {
    assertEquals("fallback", EngineMessages.reason(new ChicoryException("[1, 2, 3]"), "fallback"));
    assertEquals("fallback", EngineMessages.reason(new ChicoryException("unknown"), "fallback"));
    assertEquals(
        "fallback", EngineMessages.reason(new ChicoryException((String) null), "fallback"));
    assertEquals(
        "fallback",
        EngineMessages.reason(new IllegalArgumentException("bad value 0x7f"), "fallback"));
    assertEquals(
        "it ends unexpectedly",
        EngineMessages.reason(new IndexOutOfBoundsException("Index 57 out of bounds"), "fallback"));
  }
}
