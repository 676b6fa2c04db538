package dev.clawrate.operator.model;

import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.RatingModelStatus;
import dev.clawrate.operator.publish.ModuleConfigMaps;
import dev.clawrate.operator.publish.ModuleLibrary;
import dev.clawrate.operator.publish.RegionPublisher;
import dev.clawrate.operator.publish.RegionPublishers;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.served.ServedTracker;
import dev.clawrate.operator.status.ConditionSet;
import dev.clawrate.operator.status.EventRecorder;
import dev.clawrate.operator.status.RegionStatuses;
import dev.clawrate.operator.status.ServedConditions;
import dev.clawrate.operator.status.StatusWriter;
import dev.clawrate.operator.world.WorldCache;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a RatingModel: fetches its module, checks it against the rating ABI, writes the
 * module's ConfigMap (so raters compile it while the operator does), compiles it with the rater's
 * engine, and records in status the version that validated; the publisher puts that version in the
 * snapshot, and status reports how the raters serve it. A module that fails leaves the published
 * version in place. A model that tenants of its namespace still use is kept, and served, until they
 * move off it (finalizer).
 */
@ControllerConfiguration(
    name = RatingModelReconciler.NAME,
    finalizerName = ClawrateApi.IN_USE_FINALIZER,
    // A module in a ConfigMap can change without the RatingModel changing; look again now and then.
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public final class RatingModelReconciler implements Reconciler<RatingModel>, Cleaner<RatingModel> {

  public static final String NAME = "ratingmodel";
  private static final Logger LOG = LoggerFactory.getLogger(RatingModelReconciler.class);

  /** A deletion waiting for tenants is looked at again at least this often. */
  private static final Duration IN_USE_RECHECK = Duration.ofSeconds(30);

  /** A module from a ConfigMap can change under an unchanged spec: fetch it again by the resync. */
  private static final Duration REVALIDATE_AFTER = Duration.ofMinutes(4);

  private final ModuleFetcher fetcher;
  private final ModuleDownloads downloads;
  private final ModuleCheck check;
  private final RegionPublishers regions;
  private final ModuleLibrary library;
  private final ServedTracker served;
  private final WorldCache world;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final ValidatedModels validated;
  // Tenants report their model's first validation and its deletion; told when either happens.
  private final Consumer<Set<ResourceKey>> tenantsToWake;
  private final Clock clock;
  private final SimpleInboundEventSource<RatingModel> changes =
      new SimpleInboundEventSource<>("ratingmodel-changes");
  // The last validation of each model, so reconciles caused by what raters serve fetch nothing.
  // Reconciles of one model never run concurrently (JOSDK), different models touch different keys.
  private final Map<ResourceID, Validation> validations = new ConcurrentHashMap<>();

  public RatingModelReconciler(
      ModuleFetcher fetcher,
      ModuleDownloads downloads,
      ModuleCheck check,
      RegionPublishers regions,
      ModuleLibrary library,
      ServedTracker served,
      WorldCache world,
      StatusWriter statusWriter,
      EventRecorder events,
      ValidatedModels validated,
      Consumer<Set<ResourceKey>> tenantsToWake,
      Clock clock) {
    this.validated = validated;
    this.tenantsToWake = tenantsToWake;
    this.fetcher = fetcher;
    this.downloads = downloads;
    this.check = check;
    this.regions = regions;
    this.library = library;
    this.served = served;
    this.world = world;
    this.statusWriter = statusWriter;
    this.events = events;
    this.clock = clock;
    served.addListener(keys -> keys.forEach(this::wake));
    world.onTenantModelRef(this::wake);
    library.onLost(this::refetch);
    downloads.onDone(this::wake);
  }

  private void wake(ResourceKey key) {
    if (key.kind().equals("RatingModel")) {
      changes.propagateEvent(new ResourceID(key.name(), key.namespace()));
    }
  }

  /** A module ConfigMap is gone and nothing held its bytes: fetch it again from its source. */
  private void refetch(String digest) {
    for (RatingModel model : world.models()) {
      if (model.getStatus() != null && digest.equals(model.getStatus().getDigest())) {
        changes.propagateEvent(ResourceID.fromResource(model));
      }
    }
  }

  @Override
  public List<EventSource<?, RatingModel>> prepareEventSources(
      EventSourceContext<RatingModel> context) {
    return List.of(changes);
  }

  @Override
  public UpdateControl<RatingModel> reconcile(RatingModel model, Context<RatingModel> context) {
    RatingModelStatus old = model.getStatus() == null ? new RatingModelStatus() : model.getStatus();
    RatingModelStatus status = copyOf(old);
    long generation =
        model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
    ConditionSet conditions = new ConditionSet(old.getConditions(), generation, clock.instant());
    ResourceKey key =
        ResourceKey.model(model.getMetadata().getNamespace(), model.getMetadata().getName());
    Validation validation = validate(model, old, status);
    Refusal refusal = validation.refusal();
    if (refusal != null) {
      conditions.set(ClawrateApi.VALIDATED, false, refusal.reason(), refusal.message());
    } else if (!validation.downloading()) {
      // While a download is in flight, Validated keeps saying how the version before it went.
      validated(conditions, status);
    }
    conditions.remove(ClawrateApi.DELETING);

    if (served.ready()) {
      RegionStatuses.Summary regions = served.summary(key, generation, null, old.getRegions());
      status.setRegions(regions.regions());
      status.setRegionsSynced(regions.syncedOf());
      status.setRaters(regions.ratersOf());
      String message =
          ServedConditions.apply(
              conditions, regions, "model " + key.name(), "model name '" + key.name() + "'");
      status.setMessage(message);
      if (refusal != null) {
        refused(conditions, status, refusal);
      } else if (validation.downloading()) {
        downloading(conditions, status);
      }
    } else {
      // Just started: what regions serve is unknown until the first publish, which triggers
      // another reconcile. Keep what the status says rather than flap it to not-ready.
      status.setRegions(old.getRegions());
      status.setRegionsSynced(old.getRegionsSynced());
      status.setRaters(old.getRaters());
      status.setMessage(old.getMessage());
      if (refusal != null) {
        refused(conditions, status, refusal);
      } else if (validation.downloading()) {
        downloading(conditions, status);
      }
    }
    status.setConditions(conditions.toList());
    status.setObservedGeneration(generation);

    // Status first: the publish that makes a new version live waits for it, the Event does not.
    statusWriter.write(model, status, copy -> copy.setStatus(status));
    if (validation.downloading()) {
      // Nothing settled yet: tenants waiting for this model's first version keep waiting.
      return UpdateControl.noUpdate();
    }
    recordTransition(model, old, refusal, status);
    if (validated.settle(key)) {
      tenantsToWake.accept(tenantsOf(key));
    }
    return UpdateControl.noUpdate();
  }

  /** A model whose tenants still use it stays (and is served) until they move off it. */
  @Override
  public DeleteControl cleanup(RatingModel model, Context<RatingModel> context) {
    String namespace = model.getMetadata().getNamespace();
    String name = model.getMetadata().getName();
    List<String> users =
        new ArrayList<>(
            tenantsOf(ResourceKey.model(namespace, name)).stream().map(ResourceKey::name).toList());
    if (users.isEmpty()) {
      validations.remove(ResourceID.fromResource(model));
      downloads.forget(ResourceKey.model(namespace, name));
      validated.forget(ResourceKey.model(namespace, name));
      return DeleteControl.defaultDelete();
    }
    users.sort(null);
    RatingModelStatus old = model.getStatus() == null ? new RatingModelStatus() : model.getStatus();
    long generation =
        model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
    ConditionSet conditions = new ConditionSet(old.getConditions(), generation, clock.instant());
    String message =
        "deletion waits: still used by "
            + users.size()
            + " TenantConfig"
            + (users.size() == 1 ? "" : "s")
            + " of this namespace ("
            + String.join(", ", users.subList(0, Math.min(users.size(), 5)))
            + (users.size() > 5 ? ", ..." : "")
            + "); it stays published until they use another model";
    boolean wasWaiting = ConditionSet.isTrue(old.getConditions(), ClawrateApi.DELETING);
    conditions.set(ClawrateApi.DELETING, true, "InUse", message);
    RatingModelStatus status = copyOf(old);
    status.setObservedGeneration(old.getObservedGeneration());
    status.setRegions(old.getRegions());
    status.setRegionsSynced(old.getRegionsSynced());
    status.setRaters(old.getRaters());
    status.setMessage(message);
    status.setConditions(conditions.toList());
    if (!wasWaiting) {
      tenantsToWake.accept(tenantsOf(ResourceKey.model(namespace, name)));
      events.warning(model, "DeletionWaitsForTenants", message);
      LOG.atInfo()
          .addKeyValue("model", namespace + "/" + name)
          .addKeyValue("tenants", users.size())
          .log("deletion of a model in use waits for its tenants");
    }
    statusWriter.write(model, status, copy -> copy.setStatus(status));
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(IN_USE_RECHECK);
  }

  private Set<ResourceKey> tenantsOf(ResourceKey model) {
    return world.tenantsNaming(model).stream()
        .map(t -> ResourceKey.tenant(t.getMetadata().getNamespace(), t.getMetadata().getName()))
        .collect(Collectors.toSet());
  }

  private record Refusal(String reason, String message) {}

  /**
   * The outcome of validating one generation.
   *
   * @param passed the module that passed, or null when refused or still downloading
   * @param downloading whether its module is still being downloaded: neither passed nor refused
   */
  private record Validation(
      long generation,
      Instant at,
      ModuleCheck.Passed passed,
      String entrypoint,
      ModelLimits limits,
      Refusal refusal,
      boolean downloading) {}

  /**
   * Validates the spec's module into {@code status}; returns how that went. A generation validated
   * lately is not fetched again when only what raters serve changed (that reconciles every model of
   * a region); a new generation, the periodic resync, or its module's ConfigMap gone are reasons
   * to.
   */
  private Validation validate(RatingModel model, RatingModelStatus old, RatingModelStatus status) {
    ResourceID id = ResourceID.fromResource(model);
    long generation =
        model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
    Validation last = validations.get(id);
    Instant now = clock.instant();
    boolean fresh =
        last != null
            && !last.downloading()
            && last.generation() == generation
            && Duration.between(last.at(), now).compareTo(REVALIDATE_AFTER) < 0
            && (last.passed() == null || library.available(last.passed().digest()));
    Validation validation = fresh ? last : validateNow(model, old, generation, now);
    validations.put(id, validation);
    if (validation.passed() != null) {
      ModuleCheck.Passed passed = validation.passed();
      status.setDigest(passed.digest());
      status.setSizeBytes((long) passed.sizeBytes());
      status.setExports(new ArrayList<>(passed.exports()));
      status.setInterpretedFunctions(passed.interpretedFunctions());
      status.setEntrypoint(validation.entrypoint());
      status.setLimits(ModelLimitsSpec.from(validation.limits()));
    }
    return validation;
  }

  private Validation validateNow(
      RatingModel model, RatingModelStatus old, long generation, Instant now) {
    RatingModelSpec spec = model.getSpec();
    if (model.specProblem() != null) {
      // Not acted on: the version that validated last keeps being served.
      return refused(generation, now, "InvalidSpec", model.specProblem());
    }
    if (spec == null || spec.getModule() == null) {
      return refused(generation, now, "InvalidSpec", "the RatingModel has no spec.module");
    }
    String entrypoint = spec.effectiveEntrypoint();
    ModelLimits limits = ModelLimitsSpec.toModelLimits(spec.getLimits());
    long started = System.nanoTime();
    try {
      ModuleCheck.Passed passed = check(model, entrypoint, limits, old);
      if (passed == null) {
        return new Validation(generation, now, null, null, null, null, true);
      }
      if (!passed.digest().equals(old.getDigest())) {
        LOG.atInfo()
            .addKeyValue(
                "model", model.getMetadata().getNamespace() + "/" + model.getMetadata().getName())
            .addKeyValue("digest", passed.digest())
            .addKeyValue("previousDigest", old.getDigest())
            .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
            .log("new module validated and stored");
      }
      return new Validation(generation, now, passed, entrypoint, limits, null, false);
    } catch (ModuleFetchException e) {
      return refused(generation, now, e.reason(), e.getMessage());
    } catch (ModelValidationException e) {
      return refused(generation, now, "ValidationFailed", e.getMessage());
    } catch (ModuleConfigMaps.DigestCollisionException e) {
      return refused(generation, now, "DigestCollision", e.getMessage());
    }
  }

  private static Validation refused(long generation, Instant now, String reason, String message) {
    return new Validation(generation, now, null, null, null, new Refusal(reason, message), false);
  }

  /**
   * Fetches and checks the module, or returns null while its download is in flight (a URL is
   * downloaded off the reconcile thread, by {@link ModuleDownloads}). Its ConfigMap is written as
   * soon as the ABI checks pass and before the slow compile: raters start compiling it then, side
   * by side with the operator, and no snapshot names it until status does, after the compile.
   */
  private ModuleCheck.Passed check(
      RatingModel model, String entrypoint, ModelLimits limits, RatingModelStatus old)
      throws ModuleFetchException, ModelValidationException {
    var source = model.getSpec().getModule();
    ResourceKey key =
        ResourceKey.model(model.getMetadata().getNamespace(), model.getMetadata().getName());
    if (source.getUrl() != null && source.getSha256() != null) {
      ModuleCheck.Passed pinned =
          RecordedValidation.of("sha256:" + source.getSha256(), entrypoint, limits, old);
      if (pinned != null && library.available(pinned.digest())) {
        // A URL pinned by a digest already validated and written: no need to download it again.
        downloads.forget(key);
        return pinned;
      }
    }
    byte[] bytes;
    if (source.getUrl() != null) {
      Optional<byte[]> downloaded = downloads.poll(key, source);
      if (downloaded.isEmpty()) {
        return null;
      }
      bytes = downloaded.get();
    } else {
      downloads.forget(key);
      bytes = fetcher.fetch(model.getMetadata().getNamespace(), source);
    }
    ModuleCheck.Passed recorded =
        RecordedValidation.of(ModuleDigest.of(bytes), entrypoint, limits, old);
    if (recorded != null) {
      // Validated before, as status records: the digest is the check; only the writing is redone.
      store(recorded.digest(), bytes);
      return recorded;
    }
    ModuleCheck.Inspected inspected = check.inspect(bytes, entrypoint, limits);
    store(inspected.digest(), bytes);
    return check.compile(inspected, entrypoint, limits);
  }

  /** Keeps the module's bytes at hand and writes its ConfigMap to every region. */
  private void store(String digest, byte[] bytes) {
    library.remember(digest, bytes);
    RegionPublisher hub = regions.hub();
    if (hub != null) {
      // In the reconcile, so a digest collision is refused here rather than found by a region.
      hub.target().modules().ensure(digest, bytes);
    }
    regions.offerModule(digest);
  }

  /**
   * Validated, and whether every function compiled: one that did not runs in the interpreter, which
   * can make calls reaching it overrun the model's time limit, so it is said where users look.
   */
  private static void validated(ConditionSet conditions, RatingModelStatus status) {
    String passed = "module " + status.getDigest() + " passed the ABI checks and compiled";
    Integer interpreted = status.getInterpretedFunctions();
    if (interpreted == null || interpreted == 0) {
      conditions.set(ClawrateApi.VALIDATED, true, "Validated", passed);
    } else {
      conditions.set(
          ClawrateApi.VALIDATED,
          true,
          "InterpretedFunctions",
          passed
              + ", but "
              + interpreted
              + (interpreted == 1
                  ? " function is too large for the JVM's compiler and runs"
                  : " functions are too large for the JVM's compiler and run")
              + " in the interpreter, many times slower");
    }
  }

  /** A new module is on its way: what raters serve (the previous version, if any) stays. */
  private static void downloading(ConditionSet conditions, RatingModelStatus status) {
    String message =
        "downloading the module (at most "
            + ModuleFetcher.DOWNLOAD_LIMIT.toSeconds()
            + " s); it is validated when the download ends";
    conditions.set(ClawrateApi.PROGRESSING, true, "Downloading", message);
    if (status.getDigest() == null) {
      conditions.set(ClawrateApi.READY, false, "Downloading", message);
    }
    status.setMessage(message);
  }

  private static void refused(ConditionSet conditions, RatingModelStatus status, Refusal refusal) {
    conditions.set(ClawrateApi.READY, false, refusal.reason(), refusal.message());
    conditions.set(ClawrateApi.PROGRESSING, false, refusal.reason(), refusal.message());
    if (status.getDigest() != null) {
      conditions.set(
          ClawrateApi.DEGRADED,
          true,
          "ServingPreviousVersion",
          "the new module was refused; raters keep serving " + status.getDigest());
    } else {
      conditions.set(
          ClawrateApi.DEGRADED, true, "NoValidVersion", "no version of this model has validated");
    }
    status.setMessage("refused: " + refusal.message());
  }

  /** Events and a WARN line on validation transitions only, so a resync repeats nothing. */
  private void recordTransition(
      RatingModel model, RatingModelStatus old, Refusal refusal, RatingModelStatus status) {
    boolean wasValid = ConditionSet.isTrue(old.getConditions(), ClawrateApi.VALIDATED);
    String oldMessage =
        old.getConditions() == null
            ? null
            : old.getConditions().stream()
                .filter(c -> ClawrateApi.VALIDATED.equals(c.getType()))
                .map(c -> c.getMessage())
                .findFirst()
                .orElse(null);
    if (refusal != null && (wasValid || !refusal.message().equals(oldMessage))) {
      events.warning(model, refusal.reason(), refusal.message());
      LOG.atWarn()
          .addKeyValue(
              "model", model.getMetadata().getNamespace() + "/" + model.getMetadata().getName())
          .addKeyValue("reason", refusal.reason())
          .addKeyValue("message", refusal.message())
          .addKeyValue("servingDigest", status.getDigest())
          .log("module refused; the previous version stays published");
    } else if (refusal == null && (!wasValid || !status.getDigest().equals(old.getDigest()))) {
      events.normal(model, "Validated", "module " + status.getDigest() + " validated");
    }
  }

  private static RatingModelStatus copyOf(RatingModelStatus old) {
    RatingModelStatus status = new RatingModelStatus();
    status.setDigest(old.getDigest());
    status.setEntrypoint(old.getEntrypoint());
    status.setLimits(old.getLimits());
    status.setSizeBytes(old.getSizeBytes());
    status.setInterpretedFunctions(old.getInterpretedFunctions());
    status.setExports(
        old.getExports() == null ? new ArrayList<>() : new ArrayList<>(old.getExports()));
    return status;
  }
}
