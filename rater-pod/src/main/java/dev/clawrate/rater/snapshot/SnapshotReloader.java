package dev.clawrate.rater.snapshot;

import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.SnapshotException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link LiveSnapshot} up to date with its source, off the request path: on every hint of
 * change, and on a slow poll besides (watch events can be lost), it reads the snapshot, and if the
 * bytes changed, loads it and swaps it in, or rejects it and keeps the last good one. A rejected
 * snapshot is retried on the next poll, since the module it lacked may arrive.
 *
 * <p>A new module is served by the interpreter while it compiles, which can be too slow for its
 * time limit under load. So the first snapshot goes live at once, but {@link
 * LiveSnapshot#compiledCodeReady() readiness} waits for its compiled code; a later one goes live
 * only when its compiled code is ready, the previous snapshot serving meanwhile.
 */
public final class SnapshotReloader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReloader.class);

  /**
   * The longest a new snapshot waits for its compiled code before it goes live anyway: compiling
   * takes tens of milliseconds a module, so only a very large snapshot or module gets near it, and
   * then it is better served late by the interpreter than not at all.
   */
  public static final Duration COMPILED_CODE_WAIT = Duration.ofSeconds(60);

  private final SnapshotSource source;
  private final SnapshotLoader loader;
  private final LiveSnapshot live;
  private final ModelEngine engine;
  private final ReloadListener listener;
  private final Duration pollInterval;
  private final Clock clock;
  // One thread: loads never overlap, and a swap always follows the load that produced it.
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "clawrate-snapshot-reloader");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean reloadQueued = new AtomicBoolean();
  // Read and written on the executor thread only.
  private String lastRejectedDigest;
  private String lastRejectedError;

  public SnapshotReloader(
      SnapshotSource source,
      SnapshotLoader loader,
      LiveSnapshot live,
      ModelEngine engine,
      ReloadListener listener,
      Duration pollInterval,
      Clock clock) {
    this.source = source;
    this.loader = loader;
    this.live = live;
    this.engine = engine;
    this.listener = listener;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** Loads the current snapshot before returning, then keeps watching. */
  public void start() throws IOException {
    source.start(this::requestReload);
    try {
      executor.submit(this::reload).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.CancellationException | RejectedExecutionException e) {
      // Closed before the first load ran (the server failed to start): nothing to wait for.
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("first snapshot load failed unexpectedly", e.getCause());
    }
    long poll = pollInterval.toMillis();
    executor.scheduleWithFixedDelay(this::requestReload, poll, poll, TimeUnit.MILLISECONDS);
  }

  /** Asks for a reload soon; many requests in a burst coalesce into one. */
  public void requestReload() {
    if (reloadQueued.compareAndSet(false, true)) {
      executor.schedule(this::reload, source.settle().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void reload() {
    reloadQueued.set(false);
    byte[] bytes;
    try {
      bytes = source.readSnapshot();
    } catch (IOException e) {
      reject(null, -1, "cannot read snapshot from " + source.describe() + ": " + e.getMessage());
      return;
    } catch (RuntimeException e) {
      reject(null, -1, "cannot read snapshot from " + source.describe() + ": " + unexpected(e));
      return;
    }
    LoadedSnapshot current = live.current();
    if (bytes == null) {
      if (current == null) {
        live.record(
            ReloadStatus.rejected(
                clock.instant(), -1, "no snapshot at " + source.describe() + " yet"));
      } else {
        reject(
            null,
            -1,
            "no snapshot at "
                + source.describe()
                + " any more (removed); still serving the last good snapshot, revision "
                + current.revision());
      }
      return;
    }
    String digest = ModuleDigest.of(bytes);
    if (current != null && current.sourceDigest().equals(digest)) {
      recoverIfRejected(current);
      return;
    }
    long revision = -1;
    try {
      SnapshotDocument document = SnapshotCodec.read(bytes);
      revision = document.revision();
      if (current != null && revision < current.revision()) {
        throw new SnapshotException(
            "snapshot revision "
                + revision
                + " is older than the live revision "
                + current.revision());
      }
      LoadedSnapshot loaded = loader.load(document, digest, live.track(), source.modules());
      if (current != null && !awaitCompiledCode(loaded)) {
        return;
      }
      live.swap(loaded, ReloadStatus.accepted(clock.instant(), revision));
      if (current == null) {
        engine.compiledCode(loaded.models().values()).thenRun(live::markCompiledCodeReady);
      } else {
        live.markCompiledCodeReady();
      }
      lastRejectedDigest = null;
      lastRejectedError = null;
      retainLiveModels(loaded);
      listener.accepted(loaded);
      LOG.atInfo()
          .addKeyValue("track", loaded.track())
          .addKeyValue("revision", revision)
          .addKeyValue("models", loaded.models().size())
          .addKeyValue("tenants", loaded.tenants().size())
          .addKeyValue("shadows", loaded.shadows().size())
          .addKeyValue("previousRevision", current == null ? null : current.revision())
          .log("snapshot live");
      logUnavailableShadows(loaded);
    } catch (SnapshotException e) {
      reject(digest, revision, e.getMessage());
    } catch (RuntimeException e) {
      reject(digest, revision, "loading the snapshot failed: " + unexpected(e));
    }
  }

  /**
   * Waits, within {@link #COMPILED_CODE_WAIT}, for the compiled code of the snapshot's models, so
   * that no request goes to a model still in the interpreter. False when the reloader is closing.
   */
  private boolean awaitCompiledCode(LoadedSnapshot loaded) {
    try {
      engine
          .compiledCode(loaded.models().values())
          .get(COMPILED_CODE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException e) {
      LOG.atWarn()
          .addKeyValue("track", loaded.track())
          .addKeyValue("revision", loaded.revision())
          .addKeyValue("waitedSeconds", COMPILED_CODE_WAIT.toSeconds())
          .log("snapshot goes live before all its models are compiled; the rest run interpreted");
    } catch (ExecutionException e) {
      throw new IllegalStateException("compilation futures never fail", e.getCause());
    }
    return true;
  }

  /**
   * The source holds the live snapshot's bytes again after a rejection (a bad edit undone, a
   * removed file put back): nothing new to load, but the reload is ok again and the old error goes.
   */
  private void recoverIfRejected(LoadedSnapshot current) {
    ReloadStatus last = live.lastReload();
    if (last == null || last.accepted()) {
      return;
    }
    live.record(ReloadStatus.accepted(clock.instant(), current.revision()));
    lastRejectedDigest = null;
    lastRejectedError = null;
    listener.recovered(current);
    LOG.atInfo()
        .addKeyValue("track", current.track())
        .addKeyValue("revision", current.revision())
        .log("the source holds the live snapshot again; reloads are ok");
  }

  /** A reason for an error nobody planned for: its type only, as its message may quote input. */
  private static String unexpected(RuntimeException e) {
    return "unexpected " + e.getClass().getSimpleName();
  }

  private void retainLiveModels(LoadedSnapshot loaded) {
    Set<ModelRuntime> inUse = new HashSet<>(loaded.models().values());
    loaded.shadows().values().forEach(shadow -> inUse.add(shadow.candidate().runtime()));
    engine.retainOnly(inUse);
  }

  /** Once per snapshot that goes live: its bytes, and so its shadows, do not change after. */
  private static void logUnavailableShadows(LoadedSnapshot loaded) {
    new TreeMap<>(loaded.unavailableShadows())
        .forEach(
            (tenant, error) ->
                LOG.atWarn()
                    .addKeyValue("track", loaded.track())
                    .addKeyValue("revision", loaded.revision())
                    .addKeyValue("tenant", tenant)
                    .addKeyValue("digest", loaded.document().shadows().get(tenant).model().digest())
                    .addKeyValue("error", error)
                    .log("shadow not loaded; the snapshot is live without it"));
  }

  private void reject(String digest, long revision, String error) {
    live.record(ReloadStatus.rejected(clock.instant(), revision, error));
    listener.rejected(live.track(), error);
    // The same broken snapshot is retried on every poll; say so once, not every time.
    boolean repeat = Objects.equals(digest, lastRejectedDigest) && error.equals(lastRejectedError);
    lastRejectedDigest = digest;
    lastRejectedError = error;
    var event = repeat ? LOG.atDebug() : LOG.atWarn();
    event
        .addKeyValue("track", live.track())
        .addKeyValue("revision", revision)
        .addKeyValue("servingRevision", live.current() == null ? null : live.current().revision())
        .addKeyValue("error", error)
        .log("snapshot rejected; last good snapshot keeps serving");
  }

  @Override
  public void close() {
    source.close();
    // Work not yet started is cancelled, not merely dropped: start() may be waiting for the first
    // load, and a dropped one would keep that thread waiting for ever.
    for (Runnable pending : executor.shutdownNow()) {
      if (pending instanceof Future<?> future) {
        future.cancel(false);
      }
    }
  }
}
