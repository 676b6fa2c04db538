package dev.clawrate.rater.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPersisterTest {

  private static final byte[] VERSION_A = Fixtures.module("constant-a");
  private static final byte[] VERSION_B = Fixtures.module("constant-b");

  @TempDir Path stateDir;

  private final Map<String, byte[]> available =
      Map.of(ModuleDigest.of(VERSION_A), VERSION_A, ModuleDigest.of(VERSION_B), VERSION_B);

  private final ModuleStore store =
      digest -> {
        byte[] bytes = available.get(digest);
        if (bytes == null) {
          throw new ModelValidationException("no module " + digest);
        }
        return bytes;
      };

  private static SnapshotDocument snapshot(long revision, byte[] module) {
    return new SnapshotDocument(
        revision,
        SnapshotCodec.TRACK_STABLE,
        Map.of("scorer", new ModelEntry(ModuleDigest.of(module), "rate", ModelLimits.DEFAULTS)),
        Map.of());
  }

  private List<String> files() throws Exception {
    try (Stream<Path> walk = Files.walk(stateDir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> stateDir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void writesTheLayoutDirectorySourceReadsAndDropsModulesNoLongerNamed() throws Exception {
    SnapshotPersister persister = new SnapshotPersister(stateDir, () -> store);
    assertTrue(persister.persist(snapshot(1, VERSION_A)));
    assertTrue(persister.persist(snapshot(2, VERSION_B)));

    String hexB = ModuleDigest.hex(ModuleDigest.of(VERSION_B));
    assertEquals(List.of("modules/" + hexB + ".wasm", "snapshot.json"), files());
    DirectorySource source = new DirectorySource(stateDir);
    assertEquals(2, SnapshotCodec.read(source.readSnapshot()).revision());
    assertArrayEquals(VERSION_B, source.modules().read(ModuleDigest.of(VERSION_B)));
  }

  @Test
  void theSameSnapshotTwiceWritesNothing() throws Exception {
    SnapshotPersister persister = new SnapshotPersister(stateDir, () -> store);
    assertTrue(persister.persist(snapshot(1, VERSION_A)));
    assertFalse(persister.persist(snapshot(1, VERSION_A)));
  }

  @Test
  void aFailureLeavesThePreviousCopyWholeAndIsOnlyLogged() throws Exception {
    SnapshotPersister persister = new SnapshotPersister(stateDir, () -> store);
    persister.persist(snapshot(1, VERSION_A));
    List<String> before = files();
    byte[] snapshotBefore = Files.readAllBytes(stateDir.resolve("snapshot.json"));

    byte[] unknown = "not a module anyone has".getBytes();
    SnapshotDocument broken = snapshot(2, unknown);
    // Through the listener interface: no exception escapes to the reloader.
    persister.accepted(
        new LoadedSnapshot(
            broken, "sha256:" + "0".repeat(64), Map.of(), Map.of(), java.time.Instant.now()));

    assertEquals(before, files());
    assertArrayEquals(snapshotBefore, Files.readAllBytes(stateDir.resolve("snapshot.json")));
  }

  @Test
  void leftoverTemporaryFilesAreCleanedUp() throws Exception {
    Files.createDirectories(stateDir.resolve("modules"));
    Files.writeString(stateDir.resolve(".tmp-123.part"), "half");
    Files.writeString(stateDir.resolve("modules/.tmp-456.part"), "half");
    new SnapshotPersister(stateDir, () -> store).persist(snapshot(1, VERSION_A));
    String hexA = ModuleDigest.hex(ModuleDigest.of(VERSION_A));
    assertEquals(List.of("modules/" + hexA + ".wasm", "snapshot.json"), files());
  }

  @Test
  void aShadowsModuleIsKeptWhenItIsAvailableAndSkippedWhenItIsNot() throws Exception {
    SnapshotDocument live = snapshot(1, VERSION_A);
    TenantEntry tenant =
        new TenantEntry(
            "scorer",
            600,
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            List.of());
    String missing = "sha256:" + "0f".repeat(32);
    SnapshotDocument withShadows =
        new SnapshotDocument(
            2,
            live.track(),
            live.models(),
            Map.of("t", tenant, "u", tenant),
            Map.of(
                "t",
                new ShadowEntry(
                    0.5,
                    new ModelEntry(ModuleDigest.of(VERSION_B), "rate", ModelLimits.DEFAULTS),
                    tenant),
                "u",
                new ShadowEntry(
                    0.5, new ModelEntry(missing, "rate", ModelLimits.DEFAULTS), tenant)));
    assertTrue(new SnapshotPersister(stateDir, () -> store).persist(withShadows));
    String hexA = ModuleDigest.hex(ModuleDigest.of(VERSION_A));
    String hexB = ModuleDigest.hex(ModuleDigest.of(VERSION_B));
    assertEquals(
        List.of("modules/" + hexA + ".wasm", "modules/" + hexB + ".wasm", "snapshot.json"),
        files());
    DirectorySource source = new DirectorySource(stateDir);
    assertEquals(withShadows, SnapshotCodec.read(source.readSnapshot()));
  }
}
