package dev.clawrate.rater.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.snapshot.SnapshotException;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.shadow.ShadowRoute;
import dev.clawrate.rater.testing.ConfigDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rater pool's cap on model memory, below the ABI's maximum; shadows, which never block. */
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

  @Test
  void aShadowOfALiveDigestSharesItsCompiledModuleButNotItsRuntime() throws Exception {
    byte[] a = Fixtures.module("constant-a");
    new ConfigDir(dir)
        .model("scorer", a)
        .tenant("t", "scorer", 600)
        .shadow("t", 0.5, a, Fixtures.UNHURRIED, 650)
        .publish();
    LoadedSnapshot loaded =
        new SnapshotLoader(engine, Clock.systemUTC())
            .load(
                Files.readAllBytes(dir.resolve(DirectorySource.SNAPSHOT_FILE)),
                "stable",
                new DirectorySource(dir).modules());
    ShadowRoute shadow = loaded.shadows().get("t");
    assertEquals(1, engine.compiledCount());
    assertSame(loaded.models().get("scorer").model(), shadow.candidate().runtime().model());
    assertNotSame(loaded.models().get("scorer"), shadow.candidate().runtime());
    assertEquals("scorer", shadow.liveModel());
    assertEquals("candidate", shadow.candidate().model());
    assertEquals(650, shadow.candidate().threshold());
    assertEquals(0.5, shadow.sampleRate());
    assertEquals(Map.of(), loaded.unavailableShadows());
  }

  @Test
  void aShadowThatCannotLoadIsLeftOutAndTheSnapshotLoads() throws Exception {
    new ConfigDir(dir)
        .model("scorer", Fixtures.module("constant-a"), new ModelLimits(16, 1_000, 65_536))
        .tenant("missing", "scorer", 600)
        .shadowWithDigest(
            "missing", 1, "sha256:" + "0f".repeat(32), new ModelLimits(16, 1_000, 65_536), 600)
        .tenant("big", "scorer", 600)
        .shadow("big", 1, Fixtures.module("constant-b"), new ModelLimits(17, 1_000, 65_536), 600)
        .revision(5)
        .publish();
    LoadedSnapshot loaded =
        new SnapshotLoader(engine, Clock.systemUTC(), 16)
            .load(
                Files.readAllBytes(dir.resolve(DirectorySource.SNAPSHOT_FILE)),
                "stable",
                new DirectorySource(dir).modules());
    assertEquals(5, loaded.revision());
    assertEquals(Map.of(), loaded.shadows());
    assertEquals(Set.of("missing", "big"), loaded.unavailableShadows().keySet());
    assertTrue(loaded.unavailableShadows().get("missing").contains("not found"));
    assertEquals(
        "asks for 17 memory pages; this rater allows at most 16 (--max-model-memory-pages)",
        loaded.unavailableShadows().get("big"));
  }
}
