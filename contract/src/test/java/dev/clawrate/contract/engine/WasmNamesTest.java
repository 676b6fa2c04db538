package dev.clawrate.contract.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WasmNamesTest {

  @Test
  void showsIdentifiersAndHidesAnythingElse() {
    assertEquals("fd_write", WasmNames.shown("fd_write"));
    assertEquals("wasi_snapshot_preview1", WasmNames.shown("wasi_snapshot_preview1"));
    assertEquals(WasmNames.NOT_SHOWN, WasmNames.shown("income=93000"));
    assertEquals(WasmNames.NOT_SHOWN, WasmNames.shown("line\nbreak"));
    assertEquals(WasmNames.NOT_SHOWN, WasmNames.shown("x".repeat(65)));
  }

  @Test
  void listsAtMostTenNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      names.add("f" + (char) ('a' + i));
    }
    assertEquals("[fa, fb, fc]", WasmNames.shown(List.of("fc", "fa", "fb")));
    assertEquals("[fa, fb, fc, fd, fe, ff, fg, fh, fi, fj] and 2 more", WasmNames.shown(names));
  }
}
