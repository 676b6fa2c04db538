package dev.clawrate.rater.snapshot;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot in a directory: {@code snapshot.json} and {@code modules/<sha256>.wasm}. Used for
 * local runs, for a kubelet-mounted ConfigMap, and as the persisted last-good copy. Writers should
 * write a new file and rename it over {@code snapshot.json} (kubelet swaps a {@code ..data} symlink
 * the same way), so a reader never sees half a file.
 */
public final class DirectorySource implements SnapshotSource {

  public static final String SNAPSHOT_FILE = "snapshot.json";
  public static final String MODULES_DIR = "modules";

  private static final Logger LOG = LoggerFactory.getLogger(DirectorySource.class);

  private final Path dir;
  private final DirectoryModuleStore modules;
  private WatchService watcher;
  private Thread watchThread;
  // Guarded by this. A rater that fails to start closes its source while the first load may still
  // be starting it on another thread; a source closed first never starts.
  private boolean closed;

  public DirectorySource(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.modules = new DirectoryModuleStore(this.dir.resolve(MODULES_DIR));
  }

  @Override
  public synchronized void start(Runnable onChange) throws IOException {
    if (closed) {
      return;
    }
    watcher = dir.getFileSystem().newWatchService();
    dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    Path modulesDir = dir.resolve(MODULES_DIR);
    if (Files.isDirectory(modulesDir)) {
      modulesDir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    }
    watchThread = new Thread(() -> watch(onChange), "clawrate-config-dir-watch");
    watchThread.setDaemon(true);
    watchThread.start();
  }

  private void watch(Runnable onChange) {
    try {
      while (true) {
        var key = watcher.take();
        key.pollEvents();
        key.reset();
        onChange.run();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      LOG.atDebug().addKeyValue("dir", dir).log("config directory watch stopped");
    }
  }

  @Override
  public byte[] readSnapshot() throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(SNAPSHOT_FILE))) {
      byte[] bytes = in.readNBytes(SnapshotCodec.MAX_SNAPSHOT_BYTES + 1);
      if (bytes.length > SnapshotCodec.MAX_SNAPSHOT_BYTES) {
        throw new IOException(
            SNAPSHOT_FILE + " is larger than " + SnapshotCodec.MAX_SNAPSHOT_BYTES + " bytes");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public ModuleStore modules() {
    return modules;
  }

  @Override
  public String describe() {
    return dir.resolve(SNAPSHOT_FILE).toString();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.atDebug().setCause(e).log("closing the config directory watch failed");
      }
    }
    if (watchThread != null) {
      watchThread.interrupt();
    }
  }
}
