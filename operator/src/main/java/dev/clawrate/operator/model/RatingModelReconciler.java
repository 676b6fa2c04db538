package dev.clawrate.operator.model;

import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModelLimitsSpec;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.RatingModelStatus;
import dev.clawrate.operator.publish.ModuleConfigMaps;
import dev.clawrate.operator.publish.PublishScheduler;
import dev.clawrate.operator.publish.ResourceKey;
import dev.clawrate.operator.status.ConditionSet;
import dev.clawrate.operator.status.EventRecorder;
import dev.clawrate.operator.status.RegionStatuses;
import dev.clawrate.operator.status.StatusWriter;
import dev.clawrate.rater.engine.ModelLimits;
import dev.clawrate.rater.engine.ModelValidationException;
import dev.clawrate.rater.engine.WasmAbi;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a RatingModel: fetches its module, validates it with the rater's engine, writes the
 * module's ConfigMap, and records in status the version that validated; the publisher puts that
 * version in the snapshot. A module that fails leaves the published version in place: raters keep
 * serving it, and the conditions say why the new one was refused.
 */
@ControllerConfiguration(
    name = RatingModelReconciler.NAME,
    // A module in a ConfigMap can change without the RatingModel changing; look again now and then.
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public final class RatingModelReconciler implements Reconciler<RatingModel> {

  public static final String NAME = "ratingmodel";
  private static final Logger LOG = LoggerFactory.getLogger(RatingModelReconciler.class);

  private final ModuleFetcher fetcher;
  private final ModuleCheck check;
  private final ModuleConfigMaps modules;
  private final PublishScheduler publisher;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;
  private final SimpleInboundEventSource<RatingModel> published =
      new SimpleInboundEventSource<>("published-ratingmodels");

  public RatingModelReconciler(
      ModuleFetcher fetcher,
      ModuleCheck check,
      ModuleConfigMaps modules,
      PublishScheduler publisher,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock) {
    this.fetcher = fetcher;
    this.check = check;
    this.modules = modules;
    this.publisher = publisher;
    this.statusWriter = statusWriter;
    this.events = events;
    this.clock = clock;
    publisher.addListener(
        changed ->
            changed.stream()
                .filter(key -> key.kind().equals("RatingModel"))
                .forEach(
                    key -> published.propagateEvent(new ResourceID(key.name(), key.namespace()))));
  }

  @Override
  public List<EventSource<?, RatingModel>> prepareEventSources(
      EventSourceContext<RatingModel> context) {
    return List.of(published);
  }

  @Override
  public UpdateControl<RatingModel> reconcile(RatingModel model, Context<RatingModel> context) {
    String invalid =
        model.specProblem() != null
            ? model.specProblem()
            : model.getSpec() == null ? "spec is missing" : null;
    if (invalid != null) {
      return refuseInvalidSpec(model, invalid);
    }
    RatingModelStatus old = model.getStatus() == null ? new RatingModelStatus() : model.getStatus();
    RatingModelStatus status = copyOf(old);
    long generation =
        model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
    ConditionSet conditions = new ConditionSet(old.getConditions(), generation, clock.instant());
    RatingModelSpec spec = model.getSpec();
    String entrypoint =
        spec.getEntrypoint() == null ? WasmAbi.DEFAULT_ENTRYPOINT : spec.getEntrypoint();
    ModelLimits limits = ModelLimitsSpec.toModelLimits(spec.getLimits());
    String refusal = null;
    long started = System.nanoTime();
    try {
      ModuleCheck.Passed passed = validate(model, entrypoint, limits, old);
      if (!passed.digest().equals(old.getDigest())) {
        LOG.atInfo()
            .addKeyValue(
                "model", model.getMetadata().getNamespace() + "/" + model.getMetadata().getName())
            .addKeyValue("digest", passed.digest())
            .addKeyValue("previousDigest", old.getDigest())
            .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
            .log("new module validated and stored");
      }
      status.setDigest(passed.digest());
      status.setSizeBytes((long) passed.sizeBytes());
      status.setExports(new ArrayList<>(passed.exports()));
      status.setEntrypoint(entrypoint);
      status.setLimits(ModelLimitsSpec.from(limits));
      conditions.set(
          ClawrateApi.VALIDATED,
          true,
          "Validated",
          "module " + passed.digest() + " passed the ABI checks and compiled");
    } catch (ModuleFetchException e) {
      refusal = e.getMessage();
      conditions.set(ClawrateApi.VALIDATED, false, e.reason(), e.getMessage());
    } catch (ModelValidationException e) {
      refusal = e.getMessage();
      conditions.set(ClawrateApi.VALIDATED, false, "ValidationFailed", e.getMessage());
    } catch (ModuleConfigMaps.DigestCollisionException e) {
      refusal = e.getMessage();
      conditions.set(ClawrateApi.VALIDATED, false, "DigestCollision", e.getMessage());
    }

    ResourceKey key =
        ResourceKey.model(model.getMetadata().getNamespace(), model.getMetadata().getName());
    if (publisher.publicationsKnown()) {
      RegionStatuses.Summary regions =
          RegionStatuses.of(
              key,
              refusal == null ? status.getDigest() : null,
              publisher.regionNames().stream().map(publisher::publication).toList());
      status.setRegions(regions.regions());
      status.setRegionsSynced(regions.syncedOf());
      setReadiness(conditions, status, refusal, regions);
    } else {
      // Just started: what regions serve is unknown until the first publish, which triggers
      // another reconcile. Keep what the status says rather than flap it to not-ready.
      status.setRegions(old.getRegions());
      status.setRegionsSynced(old.getRegionsSynced());
      status.setMessage(old.getMessage());
      if (refusal != null) {
        setReadiness(conditions, status, refusal, null);
      }
    }
    status.setConditions(conditions.toList());
    status.setObservedGeneration(generation);

    recordTransition(model, old, refusal, status);
    if (statusWriter.write(model, status, copy -> copy.setStatus(status))) {
      LOG.atDebug().addKeyValue("model", key.toString()).log("status updated");
    }
    return UpdateControl.noUpdate();
  }

  /**
   * A spec this operator cannot read is not acted on: the version that validated last stays in
   * status, and the publisher leaves the model out while its spec cannot be read.
   */
  private UpdateControl<RatingModel> refuseInvalidSpec(RatingModel model, String problem) {
    RatingModelStatus old = model.getStatus() == null ? new RatingModelStatus() : model.getStatus();
    long generation =
        model.getMetadata().getGeneration() == null ? 0 : model.getMetadata().getGeneration();
    RatingModelStatus status = copyOf(old);
    status.setRegions(old.getRegions());
    status.setRegionsSynced(old.getRegionsSynced());
    status.setMessage("invalid spec: " + problem);
    status.setConditions(
        new ConditionSet(old.getConditions(), generation, clock.instant())
            .set(ClawrateApi.READY, false, "InvalidSpec", problem)
            .toList());
    status.setObservedGeneration(generation);
    if (statusWriter.write(model, status, copy -> copy.setStatus(status))) {
      LOG.atWarn()
          .addKeyValue(
              "model", model.getMetadata().getNamespace() + "/" + model.getMetadata().getName())
          .addKeyValue("problem", problem)
          .log("spec cannot be read; the model is not published");
    }
    return UpdateControl.noUpdate();
  }

  private ModuleCheck.Passed validate(
      RatingModel model, String entrypoint, ModelLimits limits, RatingModelStatus old)
      throws ModuleFetchException, ModelValidationException {
    var source = model.getSpec().getModule();
    boolean pinnedAndKnown =
        source.getUrl() != null
            && source.getSha256() != null
            && ("sha256:" + source.getSha256()).equals(old.getDigest())
            && entrypoint.equals(old.getEntrypoint())
            && limits.equals(ModelLimitsSpec.toModelLimits(old.getLimits()))
            && ConditionSet.isTrue(old.getConditions(), ClawrateApi.VALIDATED);
    if (pinnedAndKnown) {
      // A URL pinned by a digest already validated: no need to download it again.
      return new ModuleCheck.Passed(
          old.getDigest(), old.getSizeBytes().intValue(), old.getExports());
    }
    byte[] bytes = fetcher.fetch(model.getMetadata().getNamespace(), source);
    ModuleCheck.Passed passed = check.check(bytes, entrypoint, limits);
    modules.ensure(passed.digest(), bytes);
    return passed;
  }

  private static void setReadiness(
      ConditionSet conditions,
      RatingModelStatus status,
      String refusal,
      RegionStatuses.Summary regions) {
    if (refusal != null) {
      conditions.set(ClawrateApi.READY, false, "ValidationFailed", refusal);
      conditions.set(ClawrateApi.PROGRESSING, false, "ValidationFailed", refusal);
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
      status.setMessage("refused: " + refusal);
      return;
    }
    conditions.set(ClawrateApi.DEGRADED, false, "Validated", "the module validated");
    if (regions.allSynced()) {
      conditions.set(
          ClawrateApi.READY, true, "Published", "served in " + regions.syncedOf() + " regions");
      conditions.set(ClawrateApi.PROGRESSING, false, "Published", "served in every region");
      status.setMessage("serving " + status.getDigest());
    } else {
      String why =
          regions.regions().stream()
              .filter(r -> !Boolean.TRUE.equals(r.getSynced()))
              .map(r -> r.getName() + ": " + r.getMessage())
              .findFirst()
              .orElse("publishing");
      conditions.set(ClawrateApi.READY, false, "Publishing", why);
      conditions.set(
          ClawrateApi.PROGRESSING,
          true,
          "Publishing",
          "served in " + regions.syncedOf() + " regions");
      status.setMessage(why);
    }
  }

  private void recordTransition(
      RatingModel model, RatingModelStatus old, String refusal, RatingModelStatus status) {
    boolean wasValid = ConditionSet.isTrue(old.getConditions(), ClawrateApi.VALIDATED);
    String oldMessage =
        old.getConditions() == null
            ? null
            : old.getConditions().stream()
                .filter(c -> ClawrateApi.VALIDATED.equals(c.getType()))
                .map(c -> c.getMessage())
                .findFirst()
                .orElse(null);
    if (refusal != null && (wasValid || !refusal.equals(oldMessage))) {
      events.warning(model, "ValidationFailed", refusal);
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
    status.setExports(
        old.getExports() == null ? new ArrayList<>() : new ArrayList<>(old.getExports()));
    return status;
  }
}
