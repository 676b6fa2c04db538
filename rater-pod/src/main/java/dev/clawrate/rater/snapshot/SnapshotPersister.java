package dev.clawrate.rater.snapshot;

import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a copy of every accepted snapshot in a state directory, in the layout {@link
 * DirectorySource} reads ({@code snapshot.json} + {@code modules/<64 hex>.wasm}), so a restarted
 * rater serves its last good snapshot even while the API server is unreachable.
 *
 * <p>The copy is never half-written: modules go in first, then {@code snapshot.json} is written to
 * a temporary file, flushed to disk and renamed over the old one; modules no longer named are
 * removed only after that. A failure is logged and leaves the previous copy whole; it never affects
 * the reload that triggered it.
 */
public final class SnapshotPersister implements ReloadListener {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPersister.class);
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path dir;
  private final Path modulesDir;
  private final Supplier<ModuleStore> modules;

  /**
   * @param modules where the accepted snapshot's modules were just read from; asked on the
   *     reloader's thread, right after the load
   */
  public SnapshotPersister(Path dir, Supplier<ModuleStore> modules) {
    this.dir = dir.toAbsolutePath().normalize();
    this.modulesDir = this.dir.resolve(DirectorySource.MODULES_DIR);
    this.modules = modules;
  }

  @Override
  public void accepted(LoadedSnapshot snapshot) {
    try {
      if (persist(snapshot.document())) {
        // "snapshot live" says as much at INFO; this is the detail.
        LOG.atDebug()
            .addKeyValue("stateDir", dir)
            .addKeyValue("track", snapshot.track())
            .addKeyValue("revision", snapshot.revision())
            .log("last good snapshot persisted");
      }
    } catch (IOException | ModelValidationException | RuntimeException e) {
      LOG.atWarn()
          .addKeyValue("stateDir", dir)
          .addKeyValue("revision", snapshot.revision())
          .addKeyValue("error", e.toString())
          .log("persisting the last good snapshot failed; the previous copy stays");
    }
  }

  @Override
  public void rejected(String track, String error) {
    // Only good snapshots are kept.
  }

  /**
   * Writes the snapshot unless the directory already holds exactly it.
   *
   * @return whether anything was written
   */
  boolean persist(SnapshotDocument document) throws IOException, ModelValidationException {
    Files.createDirectories(modulesDir);
    Set<String> keep = new HashSet<>();
    boolean wrote = false;
    ModuleStore store = modules.get();
    for (ModelEntry model : document.models().values()) {
      wrote |= persistModule(store, model.digest(), keep);
    }
    for (ShadowEntry shadow : document.shadows().values()) {
      try {
        wrote |= persistModule(store, shadow.model().digest(), keep);
      } catch (ModelValidationException e) {
        // A shadow whose module is missing went live without it; so does the kept copy.
      }
    }
    // Canonical JSON: what was accepted, without fields this rater does not know.
    byte[] json = SnapshotCodec.write(document);
    Path snapshotFile = dir.resolve(DirectorySource.SNAPSHOT_FILE);
    if (!sameContent(snapshotFile, json)) {
      writeAtomically(snapshotFile, json);
      wrote = true;
    }
    removeUnreferenced(keep);
    return wrote;
  }

  /**
   * Writes a module unless it is there already.
   *
   * @return whether it was written
   */
  private boolean persistModule(ModuleStore store, String digest, Set<String> keep)
      throws IOException, ModelValidationException {
    Path target = modulesDir.resolve(ModuleDigest.hex(digest) + ".wasm");
    keep.add(target.getFileName().toString());
    // Content-addressed and written atomically: a file of that name holds those bytes.
    if (Files.exists(target)) {
      return false;
    }
    byte[] bytes = store.read(digest);
    if (!ModuleDigest.of(bytes).equals(digest)) {
      throw new IOException("module bytes read for " + digest + " do not match it");
    }
    writeAtomically(target, bytes);
    return true;
  }

  private static boolean sameContent(Path file, byte[] bytes) throws IOException {
    try {
      return Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".part");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // On disk before the rename makes it visible, so a crash cannot leave a torn file.
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Removes modules the snapshot no longer names, and temporary files a crash left behind. */
  private void removeUnreferenced(Set<String> keep) throws IOException {
    deleteLeftovers(dir, Set.of());
    deleteLeftovers(modulesDir, keep);
  }

  private void deleteLeftovers(Path directory, Set<String> keep) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        boolean staleModule = directory.equals(modulesDir) && name.endsWith(".wasm");
        boolean temporary = name.startsWith(TEMP_PREFIX);
        if ((staleModule && !keep.contains(name)) || temporary) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }
}
