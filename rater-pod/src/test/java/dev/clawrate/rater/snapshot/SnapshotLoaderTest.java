package dev.clawrate.rater.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.rater.engine.ExecutionMode;
import dev.clawrate.rater.engine.ModelEngine;
import dev.clawrate.rater.engine.ModelLimits;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rater pool's cap on model memory, below the ABI's maximum. */
class SnapshotLoaderTest {

  @TempDir Path dir;
  private final ModelEngine engine = new ModelEngine(ExecutionMode.COMPILED, 2);

  @AfterEach
  void close() {
    engine.close();
  }

  private byte[] snapshot(int pages) throws Exception {
    new ConfigDir(dir)
        .model("big", Fixtures.module("constant-a"), new ModelLimits(pages, 1_000, 65_536))
        .tenant("t", "big", 600)
        .revision(3)
        .publish();
    return Files.readAllBytes(dir.resolve(DirectorySource.SNAPSHOT_FILE));
  }

  @Test
  void aModelAskingForMoreMemoryThanThisRaterAllowsRefusesTheSnapshot() throws Exception {
    SnapshotLoader capped = new SnapshotLoader(engine, Clock.systemUTC(), 16);
    byte[] json = snapshot(17);
    SnapshotException refused =
        assertThrows(
            SnapshotException.class,
            () -> capped.load(json, "stable", new DirectorySource(dir).modules()));
    assertEquals(
        "snapshot revision 3 rejected: model big asks for 17 memory pages; this rater allows at"
            + " most 16 (--max-model-memory-pages)",
        refused.getMessage());
  }

  @Test
  void aModelWithinTheCapLoads() throws Exception {
    SnapshotLoader capped = new SnapshotLoader(engine, Clock.systemUTC(), 16);
    byte[] json = snapshot(16);
    assertEquals(3, capped.load(json, "stable", new DirectorySource(dir).modules()).revision());
  }
}
