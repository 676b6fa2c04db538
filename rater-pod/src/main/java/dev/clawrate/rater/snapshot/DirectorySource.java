package dev.clawrate.rater.snapshot;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Locale;
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
  // Set by start, then by the watch thread only.
  private WatchKey dirKey;
  private WatchKey modulesKey;
  private WatchKey parentKey;
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
    dirKey = dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    Path parent = dir.getParent();
    if (parent != null) {
      // A removed and re-created directory is a new one, which its old watch never sees: the
      // parent tells when it comes back, and it is watched again then.
      try {
        parentKey = parent.register(watcher, ENTRY_CREATE, ENTRY_DELETE);
      } catch (IOException e) {
        LOG.atWarn()
            .addKeyValue("dir", dir)
            .addKeyValue("error", e.getClass().getSimpleName())
            .log(
                "cannot watch the config directory's parent; a re-created directory is seen by"
                    + " the poll only");
      }
    }
    arm();
    watchThread = new Thread(() -> watch(onChange), "clawrate-config-dir-watch");
    watchThread.setDaemon(true);
    watchThread.start();
  }

  /** Watches the directory and its modules directory when they exist and are not watched yet. */
  private void arm() {
    dirKey = armed(dirKey, dir);
    modulesKey = armed(modulesKey, dir.resolve(MODULES_DIR));
  }

  private WatchKey armed(WatchKey key, Path path) {
    if ((key != null && key.isValid()) || !Files.isDirectory(path)) {
      return key;
    }
    try {
      return path.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    } catch (NoSuchFileException e) {
      // Gone again already; its parent's next event arms it.
      return null;
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("dir", path)
          .addKeyValue("error", e.getClass().getSimpleName())
          .log("cannot watch a config directory; its changes are seen by the poll only");
      return null;
    }
  }

  private void watch(Runnable onChange) {
    try {
      while (true) {
        WatchKey key = watcher.take();
        List<WatchEvent<?>> events = key.pollEvents();
        key.reset();
        boolean relevant = key != parentKey || events.stream().anyMatch(this::concernsDir);
        arm();
        if (relevant) {
          onChange.run();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      LOG.atDebug().addKeyValue("dir", dir).log("config directory watch stopped");
    }
  }

  /** Whether an event in the parent directory is about this directory (or may have been). */
  private boolean concernsDir(WatchEvent<?> event) {
    return event.kind() == OVERFLOW || dir.getFileName().equals(event.context());
  }

  @Override
  public byte[] readSnapshot() throws IOException {
    Path file = dir.resolve(SNAPSHOT_FILE);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(SnapshotCodec.MAX_SNAPSHOT_BYTES + 1);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IOException(reason(file, e), e);
    }
    if (bytes.length > SnapshotCodec.MAX_SNAPSHOT_BYTES) {
      throw new IOException(
          SNAPSHOT_FILE + " is larger than " + SnapshotCodec.MAX_SNAPSHOT_BYTES + " bytes");
    }
    return bytes;
  }

  /**
   * Why a file could not be read, in words: the exceptions' own messages are the file's name (an
   * {@link AccessDeniedException} says only that) or the system's text.
   */
  static String reason(Path file, IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (Files.isDirectory(file)) {
      return "is a directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(Locale.ROOT);
    }
    return "I/O error (" + e.getClass().getSimpleName() + ")";
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
