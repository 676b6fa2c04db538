package dev.clawrate.rater.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ExecutionMode;
import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReloaderTest {

  @TempDir Path dir;

  private final ModelEngine engine = new ModelEngine(ExecutionMode.COMPILED, 2);
  private final LiveSnapshot live = new LiveSnapshot("stable");
  private final List<String> rejections = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> recoveries = Collections.synchronizedList(new ArrayList<>());
  private SnapshotReloader reloader;

  @AfterEach
  void close() {
    if (reloader != null) {
      reloader.close();
    }
    engine.close();
  }

  private void start() throws Exception {
    start(Duration.ofSeconds(1));
  }

  /** With a poll this slow, a test sees only what the directory watch reports. */
  private void startWatchingOnly() throws Exception {
    start(Duration.ofHours(1));
  }

  private void start(Duration poll) throws Exception {
    reloader =
        new SnapshotReloader(
            new DirectorySource(dir),
            new SnapshotLoader(engine, Clock.systemUTC()),
            live,
            engine,
            new ReloadListener() {
              @Override
              public void accepted(LoadedSnapshot snapshot) {}

              @Override
              public void rejected(String track, String error) {
                rejections.add(error);
              }

              @Override
              public void recovered(LoadedSnapshot snapshot) {
                recoveries.add(snapshot.revision());
              }
            },
            poll,
            Clock.systemUTC());
    reloader.start();
  }

  private ConfigDir goodConfig() {
    return new ConfigDir(dir).model("m", Fixtures.module("constant-a")).tenant("t", "m", 600);
  }

  @Test
  void loadsTheSnapshotBeforeStartReturns() throws Exception {
    goodConfig().revision(4).publish();
    start();
    assertEquals(4, live.current().revision());
    assertTrue(live.lastReload().accepted());
  }

  @Test
  void waitsForASnapshotThatDoesNotExistYet() throws Exception {
    start();
    assertNull(live.current());
    assertTrue(live.lastReload().error().contains("no snapshot at"), live.lastReload().error());
    goodConfig().publish();
    Await.until("the snapshot goes live", () -> live.current() != null);
  }

  private void assertRejectedAndLastGoodServes(Consumer<ConfigDir> breakIt, String expected)
      throws Exception {
    ConfigDir config = goodConfig().publish();
    start();
    LoadedSnapshot good = live.current();
    assertNotNull(good);
    breakIt.accept(config);
    Await.until(
        "the broken snapshot is rejected",
        () -> live.lastReload() != null && !live.lastReload().accepted());
    assertSame(good, live.current(), "the last good snapshot keeps serving");
    assertTrue(live.lastReload().error().contains(expected), live.lastReload().error());
    assertTrue(!rejections.isEmpty());
  }

  @Test
  void badJsonIsRejected() throws Exception {
    assertRejectedAndLastGoodServes(c -> c.writeSnapshot("{\"revision\": 9, "), "not valid JSON");
  }

  @Test
  void aMissingModuleIsRejected() throws Exception {
    String absent = ModuleDigest.of(new byte[] {1, 2, 3});
    assertRejectedAndLastGoodServes(c -> c.modelWithDigest("m", absent).publish(), "module file");
  }

  @Test
  void aDigestMismatchIsRejected() throws Exception {
    assertRejectedAndLastGoodServes(
        c -> {
          // A module file whose name claims a digest its bytes do not have.
          String claimed = c.addModule(Fixtures.module("constant-b"));
          try {
            java.nio.file.Files.write(
                c.path().resolve("modules").resolve(ModuleDigest.hex(claimed) + ".wasm"),
                Fixtures.module("constant-a"));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          c.modelWithDigest("m", claimed).publish();
        },
        "digest mismatch");
  }

  @Test
  void aModuleThatFailsValidationIsRejected() throws Exception {
    assertRejectedAndLastGoodServes(
        c -> c.model("m", Fixtures.module("wasi-import")).publish(), "may import only env.abort");
  }

  @Test
  void aTenantNamingAnUnknownModelIsRejected() throws Exception {
    assertRejectedAndLastGoodServes(
        c -> c.tenant("u", "ghost", 1).publish(), "tenants.u.model names no model in models");
  }

  @Test
  void anOlderRevisionIsRejected() throws Exception {
    assertRejectedAndLastGoodServes(
        c -> c.revision(0).tenant("u", "m", 1).publish(), "older than the live revision 1");
  }

  @Test
  void aRejectedSnapshotIsRetriedAndGoesLiveOnceItsModuleArrives() throws Exception {
    goodConfig().publish();
    start();
    byte[] moduleB = Fixtures.module("constant-b");
    String digestB = ModuleDigest.of(moduleB);
    ConfigDir config =
        new ConfigDir(dir).revision(2).modelWithDigest("m", digestB).tenant("t", "m", 1);
    config.publish();
    Await.until("rejection", () -> !live.lastReload().accepted());
    config.addModule(moduleB);
    Await.until("revision 2 live", () -> live.current().revision() == 2);
    assertEquals(digestB, live.current().models().get("m").digest());
  }

  @Test
  void anUnchangedModelKeepsItsRuntimeAcrossReloads() throws Exception {
    ConfigDir config = goodConfig().publish();
    start();
    var before = live.current().models().get("m");
    config.tenant("t2", "m", 1).publish();
    Await.until("revision 2 live", () -> live.current().revision() == 2);
    assertSame(before, live.current().models().get("m"));
  }

  @Test
  void aSnapshotForAnotherTrackIsRejected() throws Exception {
    assertRejectedAndLastGoodServes(
        c -> c.track("canary").publish(), "this rater serves track 'stable'");
  }

  @Test
  void restoringTheLiveBytesAfterARejectionTurnsTheReloadBackToOk() throws Exception {
    ConfigDir config = goodConfig().publish();
    byte[] liveBytes = Files.readAllBytes(dir.resolve(DirectorySource.SNAPSHOT_FILE));
    startWatchingOnly();
    LoadedSnapshot good = live.current();
    config.writeSnapshot("{\"revision\": 9, ");
    Await.until("the broken snapshot is rejected", () -> !live.lastReload().accepted());

    config.writeSnapshot(liveBytes);

    Await.until("the reload is ok again", () -> live.lastReload().accepted());
    assertNull(live.lastReload().error());
    assertEquals(good.revision(), live.lastReload().revision());
    assertSame(good, live.current());
    assertEquals(List.of(good.revision()), recoveries);
  }

  @Test
  void removingSnapshotJsonIsReportedAndTheLastGoodSnapshotKeepsServing() throws Exception {
    goodConfig().revision(3).publish();
    startWatchingOnly();
    LoadedSnapshot good = live.current();

    Files.delete(dir.resolve(DirectorySource.SNAPSHOT_FILE));

    Await.until("the removal is reported", () -> !live.lastReload().accepted());
    assertEquals(
        "no snapshot at "
            + dir.resolve(DirectorySource.SNAPSHOT_FILE).toAbsolutePath()
            + " any more (removed); still serving the last good snapshot, revision 3",
        live.lastReload().error());
    assertSame(good, live.current());
    assertEquals(live.lastReload().error(), rejections.get(0));
  }

  @Test
  void aRemovedAndRecreatedDirectoryIsWatchedAgain() throws Exception {
    goodConfig().publish();
    startWatchingOnly();
    LoadedSnapshot good = live.current();

    deleteTree(dir);
    Await.until("the removal is reported", () -> !live.lastReload().accepted());
    assertTrue(live.lastReload().error().contains("still serving"), live.lastReload().error());
    assertSame(good, live.current());

    goodConfig().revision(2).publish();
    Await.until("revision 2 goes live without a poll", () -> live.current().revision() == 2);
    assertTrue(live.lastReload().accepted());

    new ConfigDir(dir)
        .model("m", Fixtures.module("constant-a"))
        .tenant("t", "m", 1)
        .revision(3)
        .publish();
    Await.until("revision 3 goes live without a poll", () -> live.current().revision() == 3);
  }

  @Test
  void aSnapshotThatIsADirectorySaysSo() throws Exception {
    goodConfig().publish();
    startWatchingOnly();
    Path file = dir.resolve(DirectorySource.SNAPSHOT_FILE);
    Files.delete(file);
    Files.createDirectory(file);

    Await.until(
        "the unreadable snapshot is reported",
        () -> live.lastReload().error() != null && live.lastReload().error().startsWith("cannot"));
    assertEquals(
        "cannot read snapshot from " + file.toAbsolutePath() + ": is a directory",
        live.lastReload().error());
  }

  @Test
  void anUnreadableFileGivesTheReasonNotJustTheName() {
    Path file = dir.resolve(DirectorySource.SNAPSHOT_FILE);
    assertEquals(
        "permission denied",
        DirectorySource.reason(file, new AccessDeniedException(file.toString())));
    assertEquals(
        "input/output error",
        DirectorySource.reason(
            file, new FileSystemException(file.toString(), null, "Input/output error")));
    assertEquals("I/O error (IOException)", DirectorySource.reason(file, new IOException("x")));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
