package dev.clawrate.operator.tenant;

import dev.clawrate.operator.alert.TenantAlerts;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigStatus;
import dev.clawrate.operator.model.ValidatedModels;
import dev.clawrate.operator.render.Exclusion;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.render.SnapshotRenderer;
import dev.clawrate.operator.served.ServedTracker;
import dev.clawrate.operator.status.ConditionSet;
import dev.clawrate.operator.status.EventRecorder;
import dev.clawrate.operator.status.RegionStatuses;
import dev.clawrate.operator.status.ServedConditions;
import dev.clawrate.operator.status.StatusWriter;
import dev.clawrate.operator.world.WorldCache;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a TenantConfig: resolves its RatingModel and reports, per region, how the raters serve
 * the tenant. A missing or unvalidated model is a condition, not an error; other tenants are
 * untouched. What goes into the snapshot is decided by the publisher's renderer, from the same
 * resources.
 */
@ControllerConfiguration(name = TenantConfigReconciler.NAME)
public final class TenantConfigReconciler implements Reconciler<TenantConfig> {

  public static final String NAME = "tenantconfig";
  private static final Logger LOG = LoggerFactory.getLogger(TenantConfigReconciler.class);

  private final ServedTracker served;
  private final WorldCache world;
  private final ValidatedModels validatedModels;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final Clock clock;
  private final TenantAlerts alerts;
  private final SimpleInboundEventSource<TenantConfig> changes =
      new SimpleInboundEventSource<>("tenantconfig-changes");

  public TenantConfigReconciler(
      ServedTracker served,
      WorldCache world,
      ValidatedModels validatedModels,
      StatusWriter statusWriter,
      EventRecorder events,
      TenantAlerts alerts,
      Clock clock) {
    this.alerts = alerts;
    this.validatedModels = validatedModels;
    this.events = events;
    this.served = served;
    this.world = world;
    this.statusWriter = statusWriter;
    this.clock = clock;
    served.addListener(keys -> keys.forEach(this::wake));
  }

  private void wake(ResourceKey key) {
    if (key.kind().equals("TenantConfig")) {
      changes.propagateEvent(new ResourceID(key.name(), key.namespace()));
    }
  }

  @Override
  public List<EventSource<?, TenantConfig>> prepareEventSources(
      EventSourceContext<TenantConfig> context) {
    // No informer of RatingModels: a model's status writes (rater counts) would reconcile every
    // tenant on it for nothing. What a tenant reports of its model changes with what is published,
    // which the tracker reports, or with the model's deletion, which its reconciler reports.
    return List.of(changes);
  }

  /** Reconciles these tenants soon; other kinds of keys are ignored. */
  public void wake(Set<ResourceKey> keys) {
    keys.forEach(this::wake);
  }

  /** The regions the tenant names, when they can be read; else all, as the snapshot has it. */
  private static List<String> namedRegions(TenantConfig tenant) {
    List<String> regions =
        tenant.specProblem() == null && tenant.getSpec() != null
            ? tenant.getSpec().getRegions()
            : null;
    return regions != null && SnapshotRenderer.whyNotRegions(regions) == null ? regions : null;
  }

  private static String modelName(TenantConfig tenant) {
    return tenant.getSpec() == null || tenant.getSpec().getModelRef() == null
        ? null
        : tenant.getSpec().getModelRef().getName();
  }

  @Override
  public UpdateControl<TenantConfig> reconcile(TenantConfig tenant, Context<TenantConfig> context) {
    TenantConfigStatus old =
        tenant.getStatus() == null ? new TenantConfigStatus() : tenant.getStatus();
    long generation =
        tenant.getMetadata().getGeneration() == null ? 0 : tenant.getMetadata().getGeneration();
    ConditionSet conditions = new ConditionSet(old.getConditions(), generation, clock.instant());
    TenantConfigStatus status = new TenantConfigStatus();
    String modelName = modelName(tenant);
    status.setModel(modelName);
    RatingModel model =
        modelName == null ? null : world.model(tenant.getMetadata().getNamespace(), modelName);
    if (tenant.specProblem() == null) {
      resolveModel(tenant, modelName, Optional.ofNullable(model), conditions);
    } else {
      conditions.remove(ClawrateApi.MODEL_RESOLVED);
      reportUnreadable(tenant, old);
    }

    if (!served.ready() || unsettled(model)) {
      // Just started, or the model not looked at yet: what the tenant will report is not settled,
      // and what settles it (the first publish, the model's validation) reconciles it again.
      // Writing now would only add a write per tenant to a cold start.
      return UpdateControl.noUpdate();
    }
    ResourceKey key =
        ResourceKey.tenant(tenant.getMetadata().getNamespace(), tenant.getMetadata().getName());
    RegionStatuses.Summary regions =
        served.summary(key, generation, namedRegions(tenant), old.getRegions());
    status.setRegions(regions.regions());
    status.setRegionsSynced(regions.syncedOf());
    status.setRaters(regions.ratersOf());
    status.setDigest(
        regions.regions().stream()
            .map(r -> r.getDigest())
            .filter(d -> d != null)
            .findFirst()
            .orElse(null));
    status.setMessage(
        ServedConditions.apply(
            conditions,
            regions,
            "tenant " + tenant.tenantId(),
            "tenant id '" + tenant.tenantId() + "'"));
    TenantAlerts.Shown shownAlerts = alerts.fill(tenant, status, conditions);
    status.setConditions(conditions.toList());
    status.setObservedGeneration(generation);
    if (statusWriter.store(tenant, status, copy -> copy.setStatus(status))) {
      alerts.stored(shownAlerts);
    }
    return UpdateControl.noUpdate();
  }

  /**
   * Whether the tenant's model has no validated version and this process has not looked at it yet:
   * the tenant then has nothing settled to report, and its model's reconcile wakes it.
   */
  private boolean unsettled(RatingModel model) {
    return model != null
        && (model.getStatus() == null || model.getStatus().getDigest() == null)
        && !validatedModels.settled(
            ResourceKey.model(model.getMetadata().getNamespace(), model.getMetadata().getName()));
  }

  /**
   * A spec this operator cannot read is not acted on (the publisher excludes the tenant, which
   * keeps its previous configuration while it owns its id): said once, as an Event and a WARN line,
   * when it first happens, not on every reconcile.
   */
  private void reportUnreadable(TenantConfig tenant, TenantConfigStatus old) {
    String problem = tenant.specProblem();
    boolean known =
        old.getConditions() != null
            && old.getConditions().stream()
                .anyMatch(
                    c ->
                        ClawrateApi.READY.equals(c.getType())
                            && Exclusion.INVALID_SPEC.equals(c.getReason())
                            && c.getMessage() != null
                            && c.getMessage().startsWith(problem));
    if (known) {
      return;
    }
    events.warning(tenant, Exclusion.INVALID_SPEC, problem);
    LOG.atWarn()
        .addKeyValue(
            "tenant", tenant.getMetadata().getNamespace() + "/" + tenant.getMetadata().getName())
        .addKeyValue("problem", problem)
        .log(
            "spec cannot be read; skipped (a tenant already served keeps its previous configuration)");
  }

  private static void resolveModel(
      TenantConfig tenant, String modelName, Optional<RatingModel> model, ConditionSet conditions) {
    String wantedDigest =
        model.map(m -> m.getStatus() == null ? null : m.getStatus().getDigest()).orElse(null);
    if (model.isEmpty()) {
      conditions.set(
          ClawrateApi.MODEL_RESOLVED,
          false,
          "ModelNotFound",
          "RatingModel "
              + tenant.getMetadata().getNamespace()
              + "/"
              + modelName
              + " does not exist");
    } else if (wantedDigest == null) {
      conditions.set(
          ClawrateApi.MODEL_RESOLVED,
          false,
          "ModelNotReady",
          "RatingModel " + modelName + " has no validated version yet");
    } else if (model.get().getMetadata().getDeletionTimestamp() != null) {
      conditions.set(
          ClawrateApi.MODEL_RESOLVED,
          true,
          "ModelDeleting",
          "RatingModel "
              + modelName
              + " is being deleted and stays published while this tenant uses it; move the"
              + " tenant to another model");
    } else {
      conditions.set(
          ClawrateApi.MODEL_RESOLVED,
          true,
          "ModelResolved",
          "rated by " + modelName + " (" + wantedDigest + ")");
    }
  }
}
