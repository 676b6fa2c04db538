package dev.clawrate.rater.snapshot;

import dev.clawrate.contract.engine.ModelEngine;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModelRuntime;
import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.ShadowEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.SnapshotException;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.rater.rating.TenantRoute;
import dev.clawrate.rater.shadow.ShadowRoute;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Turns snapshot bytes into a {@link LoadedSnapshot}: all or nothing. Every model is loaded and
 * validated before anything is returned; a single problem rejects the whole snapshot, with every
 * problem found in the message. Shadows are the exception: a shadow whose module cannot be found,
 * validated or compiled is left out with its reason, and the snapshot goes live without it, since
 * an experiment must never hold up what serves.
 */
public final class SnapshotLoader {

  private static final ExecutorService COMPILERS =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(),
          runnable -> {
            Thread thread = new Thread(runnable, "clawrate-model-loader");
            thread.setDaemon(true);
            return thread;
          });

  private final ModelEngine engine;
  private final Clock clock;
  private final int maxMemoryPages;

  public SnapshotLoader(ModelEngine engine, Clock clock) {
    this(engine, clock, ModelLimits.MAX_MEMORY_PAGES);
  }

  /**
   * @param maxMemoryPages the most memory a model may ask for on this rater (its pool's cap); a
   *     snapshot asking for more is refused, and the operator reports the refusal from the rater's
   *     heartbeat
   */
  public SnapshotLoader(ModelEngine engine, Clock clock, int maxMemoryPages) {
    this.engine = engine;
    this.clock = clock;
    this.maxMemoryPages = maxMemoryPages;
  }

  /**
   * @param expectedTrack the track this rater serves; a snapshot of another track is rejected
   */
  public LoadedSnapshot load(byte[] json, String expectedTrack, ModuleStore modules)
      throws SnapshotException {
    return load(SnapshotCodec.read(json), ModuleDigest.of(json), expectedTrack, modules);
  }

  /**
   * @param sourceDigest SHA-256 of the bytes the document was read from
   */
  public LoadedSnapshot load(
      SnapshotDocument document, String sourceDigest, String expectedTrack, ModuleStore modules)
      throws SnapshotException {
    if (!document.track().equals(expectedTrack)) {
      throw new SnapshotException(
          "snapshot is for track '"
              + document.track()
              + "' but this rater serves track '"
              + expectedTrack
              + "'");
    }
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    document
        .models()
        .forEach(
            (name, model) -> {
              if (model.limits().maxMemoryPages() > maxMemoryPages) {
                problems.add("model " + name + " " + memoryCapExceeded(model));
              }
            });
    if (!problems.isEmpty()) {
      throw new SnapshotException(
          "snapshot revision " + document.revision() + " rejected: " + String.join("; ", problems));
    }
    Map<String, ModelRuntime> runtimes = new ConcurrentHashMap<>();
    Map<String, ModelRuntime> shadowRuntimes = new ConcurrentHashMap<>();
    Map<String, String> unavailableShadows = new ConcurrentHashMap<>();
    // Compiling is CPU-bound and modules are independent: use every core, which matters most
    // at start-up and for snapshots that bring many new modules at once.
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    document
        .models()
        .forEach(
            (name, model) ->
                loads.add(
                    CompletableFuture.runAsync(
                        () -> {
                          try {
                            runtimes.put(
                                name,
                                engine.load(
                                    modules::read,
                                    model.digest(),
                                    model.entrypoint(),
                                    model.limits()));
                          } catch (ModelValidationException e) {
                            problems.add(
                                "model " + name + " (" + model.digest() + "): " + e.getMessage());
                          } catch (RuntimeException e) {
                            problems.add(
                                "model " + name + " (" + model.digest() + "): " + unexpected(e));
                          }
                        },
                        COMPILERS)));
    loads.addAll(loadShadows(document, modules, shadowRuntimes, unavailableShadows));
    CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
    problems.sort(null);
    if (!problems.isEmpty()) {
      throw new SnapshotException(
          "snapshot revision " + document.revision() + " rejected: " + String.join("; ", problems));
    }
    Map<String, TenantRoute> routes = new HashMap<>();
    document
        .tenants()
        .forEach(
            (id, tenant) ->
                routes.put(
                    id,
                    new TenantRoute(
                        id,
                        tenant.model(),
                        document.track(),
                        tenant,
                        runtimes.get(tenant.model()),
                        fallbackRuntime(tenant, runtimes))));
    return new LoadedSnapshot(
        document,
        sourceDigest,
        runtimes,
        routes,
        clock.instant(),
        shadowRoutes(document, routes, shadowRuntimes),
        unavailableShadows);
  }

  /**
   * Starts loading every shadow's candidate: into {@code runtimes} by tenant id when it loads, into
   * {@code unavailable} with the reason when it does not.
   */
  private List<CompletableFuture<Void>> loadShadows(
      SnapshotDocument document,
      ModuleStore modules,
      Map<String, ModelRuntime> runtimes,
      Map<String, String> unavailable) {
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    document
        .shadows()
        .forEach(
            (tenant, shadow) -> {
              ModelEntry model = shadow.model();
              if (model.limits().maxMemoryPages() > maxMemoryPages) {
                unavailable.put(tenant, memoryCapExceeded(model));
                return;
              }
              loads.add(
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          runtimes.put(
                              tenant,
                              engine.loadShadow(
                                  modules::read,
                                  model.digest(),
                                  model.entrypoint(),
                                  model.limits()));
                        } catch (ModelValidationException e) {
                          unavailable.put(tenant, e.getMessage());
                        } catch (RuntimeException e) {
                          unavailable.put(tenant, unexpected(e));
                        }
                      },
                      COMPILERS));
            });
    return loads;
  }

  /** The route of every shadow whose candidate loaded, by tenant id. */
  private static Map<String, ShadowRoute> shadowRoutes(
      SnapshotDocument document,
      Map<String, TenantRoute> routes,
      Map<String, ModelRuntime> candidates) {
    Map<String, ShadowRoute> shadows = new HashMap<>();
    candidates.forEach(
        (tenant, runtime) -> {
          ShadowEntry shadow = document.shadows().get(tenant);
          TenantEntry candidate = shadow.tenant();
          shadows.put(
              tenant,
              new ShadowRoute(
                  tenant,
                  routes.get(tenant).model(),
                  shadow.sampleRate(),
                  new TenantRoute(
                      tenant, candidate.model(), document.track(), candidate, runtime, null)));
        });
    return shadows;
  }

  private String memoryCapExceeded(ModelEntry model) {
    return "asks for "
        + model.limits().maxMemoryPages()
        + " memory pages; this rater allows at most "
        + maxMemoryPages
        + " (--max-model-memory-pages)";
  }

  /**
   * A reason for an error nobody planned for: its type only, as its message may quote the module.
   */
  private static String unexpected(RuntimeException e) {
    return "unexpected " + e.getClass().getSimpleName();
  }

  private static ModelRuntime fallbackRuntime(
      TenantEntry tenant, Map<String, ModelRuntime> runtimes) {
    TenantFallback fallback = tenant.fallback();
    return fallback == null || fallback.model() == null ? null : runtimes.get(fallback.model());
  }
}
