package dev.clawrate.operator.model;

import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.render.ResourceKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Module downloads run here, off the reconcile threads: a slow or stalled server (up to the
 * download's time limit) holds one of this executor's threads, never a reconcile, so every other
 * model keeps reconciling. A reconcile {@link #poll polls}: the first poll starts the download and
 * finds it in flight; when it ends, the model is woken and the next poll takes the result.
 *
 * <p>At most one download per model: a poll for another URL or digest than the one in flight
 * cancels it and starts the new one. The executor's size bounds how many run at once.
 */
public final class ModuleDownloads {

  /** What a download was started for: another source is another download. */
  private record Wanted(String url, String sha256, boolean otherSources) {
    static Wanted of(ModuleSource source) {
      return new Wanted(
          source.getUrl(),
          source.getSha256(),
          source.getInline() != null || source.getConfigMapKeyRef() != null);
    }
  }

  private record Download(Wanted wanted, CompletableFuture<byte[]> result, Future<?> task) {}

  private final ModuleFetcher fetcher;
  private final ExecutorService executor;
  private final Map<ResourceKey, Download> downloads = new ConcurrentHashMap<>();
  private volatile Consumer<ResourceKey> onDone = key -> {};

  /**
   * @param executor runs the downloads; its size is how many may run at once
   */
  public ModuleDownloads(ModuleFetcher fetcher, ExecutorService executor) {
    this.fetcher = fetcher;
    this.executor = executor;
  }

  /** Told, from a download thread, of each model whose download ended. */
  void onDone(Consumer<ResourceKey> listener) {
    this.onDone = listener;
  }

  /**
   * The module a download of {@code source} got for {@code model}, or empty while the download is
   * in flight (it is started when none is).
   *
   * @throws ModuleFetchException why the download ended without a module
   */
  Optional<byte[]> poll(ResourceKey model, ModuleSource source) throws ModuleFetchException {
    Wanted wanted = Wanted.of(source);
    Download download = downloads.get(model);
    if (download != null && !download.wanted().equals(wanted)) {
      forget(model);
      download = null;
    }
    if (download == null) {
      start(model, source, wanted);
      return Optional.empty();
    }
    if (!download.result().isDone()) {
      return Optional.empty();
    }
    downloads.remove(model, download);
    try {
      return Optional.of(download.result().get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ModuleFetchException failure) {
        throw failure;
      }
      throw new ModuleFetchException(
          "DownloadFailed",
          "downloading the module failed: unexpected " + e.getCause().getClass().getSimpleName(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleFetchException("DownloadFailed", "downloading the module was interrupted");
    }
  }

  /** Cancels the model's download, if any: the model is gone or wants another module. */
  void forget(ResourceKey model) {
    Download download = downloads.remove(model);
    if (download != null) {
      download.task().cancel(true);
    }
  }

  private void start(ResourceKey model, ModuleSource source, Wanted wanted) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ModuleSource copy = copyOf(source);
    Future<?> task =
        executor.submit(
            () -> {
              try {
                result.complete(fetcher.fetch(model.namespace(), copy));
              } catch (ModuleFetchException | RuntimeException e) {
                result.completeExceptionally(e);
              } finally {
                onDone.accept(model);
              }
            });
    downloads.put(model, new Download(wanted, result, task));
  }

  /** A copy, so that what the download reads cannot change under it. */
  private static ModuleSource copyOf(ModuleSource source) {
    ModuleSource copy = new ModuleSource();
    copy.setUrl(source.getUrl());
    copy.setSha256(source.getSha256());
    copy.setInline(source.getInline());
    copy.setConfigMapKeyRef(source.getConfigMapKeyRef());
    return copy;
  }
}
