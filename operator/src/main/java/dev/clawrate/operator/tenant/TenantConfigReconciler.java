package dev.clawrate.operator.tenant;

import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigStatus;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.publish.PublishScheduler;
import dev.clawrate.operator.publish.ResourceKey;
import dev.clawrate.operator.status.ConditionSet;
import dev.clawrate.operator.status.RegionStatuses;
import dev.clawrate.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a TenantConfig: resolves its RatingModel and reports, per region, whether the tenant
 * is served and with which digest. A missing or unvalidated model is a condition, not an error;
 * other tenants are untouched. What goes into the snapshot is decided by the publisher's renderer,
 * from the same resources.
 */
@ControllerConfiguration(name = TenantConfigReconciler.NAME)
public final class TenantConfigReconciler implements Reconciler<TenantConfig> {

  public static final String NAME = "tenantconfig";
  private static final Logger LOG = LoggerFactory.getLogger(TenantConfigReconciler.class);
  private static final String MODEL_INDEX = "clawrate.dev/model-ref";

  private final PublishScheduler publisher;
  private final StatusWriter statusWriter;
  private final Clock clock;
  private final SimpleInboundEventSource<TenantConfig> published =
      new SimpleInboundEventSource<>("published-tenantconfigs");

  public TenantConfigReconciler(
      PublishScheduler publisher, StatusWriter statusWriter, Clock clock) {
    this.publisher = publisher;
    this.statusWriter = statusWriter;
    this.clock = clock;
    publisher.addListener(
        changed ->
            changed.stream()
                .filter(key -> key.kind().equals("TenantConfig"))
                .forEach(
                    key -> published.propagateEvent(new ResourceID(key.name(), key.namespace()))));
  }

  @Override
  public List<EventSource<?, TenantConfig>> prepareEventSources(
      EventSourceContext<TenantConfig> context) {
    context.getPrimaryCache().addIndexer(MODEL_INDEX, tenant -> List.of(modelIndexKey(tenant)));
    var models =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RatingModel.class, TenantConfig.class)
                .withSecondaryToPrimaryMapper(
                    (RatingModel model) ->
                        context
                            .getPrimaryCache()
                            .byIndex(
                                MODEL_INDEX,
                                model.getMetadata().getNamespace()
                                    + "/"
                                    + model.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (TenantConfig tenant) ->
                        tenant.getSpec() == null || tenant.getSpec().getModelRef() == null
                            ? Set.of()
                            : Set.of(
                                new ResourceID(
                                    tenant.getSpec().getModelRef().getName(),
                                    tenant.getMetadata().getNamespace())))
                .build(),
            context);
    return List.of(models, published);
  }

  private static String modelIndexKey(TenantConfig tenant) {
    String model =
        tenant.getSpec() == null || tenant.getSpec().getModelRef() == null
            ? ""
            : tenant.getSpec().getModelRef().getName();
    return tenant.getMetadata().getNamespace() + "/" + model;
  }

  @Override
  public UpdateControl<TenantConfig> reconcile(TenantConfig tenant, Context<TenantConfig> context) {
    if (tenant.specProblem() != null) {
      return refuseInvalidSpec(tenant, tenant.specProblem());
    }
    TenantConfigStatus old =
        tenant.getStatus() == null ? new TenantConfigStatus() : tenant.getStatus();
    long generation =
        tenant.getMetadata().getGeneration() == null ? 0 : tenant.getMetadata().getGeneration();
    ConditionSet conditions = new ConditionSet(old.getConditions(), generation, clock.instant());
    TenantConfigStatus status = new TenantConfigStatus();
    String modelName =
        tenant.getSpec() == null || tenant.getSpec().getModelRef() == null
            ? null
            : tenant.getSpec().getModelRef().getName();
    status.setModel(modelName);

    Optional<RatingModel> model = context.getSecondaryResource(RatingModel.class);
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
    } else {
      conditions.set(
          ClawrateApi.MODEL_RESOLVED,
          true,
          "ModelResolved",
          "rated by " + modelName + " (" + wantedDigest + ")");
    }

    if (!publisher.publicationsKnown()) {
      // Just started: what regions serve is unknown until the first publish, which reconciles
      // every tenant again. Writing now would only add a write per tenant to a cold start.
      return UpdateControl.noUpdate();
    }
    publishedState(tenant, wantedDigest, status, conditions);
    status.setConditions(conditions.toList());
    status.setObservedGeneration(generation);
    statusWriter.write(tenant, status, copy -> copy.setStatus(status));
    return UpdateControl.noUpdate();
  }

  /**
   * A spec this operator cannot read is not acted on; the publisher excludes the tenant for it (a
   * tenant already served keeps its previous configuration).
   */
  private UpdateControl<TenantConfig> refuseInvalidSpec(TenantConfig tenant, String problem) {
    TenantConfigStatus old =
        tenant.getStatus() == null ? new TenantConfigStatus() : tenant.getStatus();
    long generation =
        tenant.getMetadata().getGeneration() == null ? 0 : tenant.getMetadata().getGeneration();
    TenantConfigStatus status = new TenantConfigStatus();
    status.setModel(old.getModel());
    status.setDigest(old.getDigest());
    status.setRegions(old.getRegions());
    status.setRegionsSynced(old.getRegionsSynced());
    status.setConditions(
        new ConditionSet(old.getConditions(), generation, clock.instant())
            .set(ClawrateApi.READY, false, "InvalidSpec", problem)
            .toList());
    status.setObservedGeneration(generation);
    if (statusWriter.write(tenant, status, copy -> copy.setStatus(status))) {
      LOG.atWarn()
          .addKeyValue(
              "tenant", tenant.getMetadata().getNamespace() + "/" + tenant.getMetadata().getName())
          .addKeyValue("problem", problem)
          .log("spec cannot be read; the tenant is not published");
    }
    return UpdateControl.noUpdate();
  }

  /** Region state and readiness, from what the last publish put in each region. */
  private void publishedState(
      TenantConfig tenant,
      String wantedDigest,
      TenantConfigStatus status,
      ConditionSet conditions) {
    ResourceKey key =
        ResourceKey.tenant(tenant.getMetadata().getNamespace(), tenant.getMetadata().getName());
    List<Publication> publications =
        publisher.regionNames().stream().map(publisher::publication).toList();
    String excluded =
        publications.stream()
            .map(p -> p.excluded().get(key))
            .filter(r -> r != null)
            .findFirst()
            .orElse(null);
    RegionStatuses.Summary regions =
        RegionStatuses.of(key, excluded == null ? wantedDigest : null, publications);
    status.setRegions(regions.regions());
    status.setRegionsSynced(regions.syncedOf());
    status.setDigest(
        publications.stream()
            .map(p -> p.served().get(key))
            .filter(d -> d != null)
            .findFirst()
            .orElse(null));

    if (excluded != null) {
      conditions.set(ClawrateApi.READY, false, "NotPublished", excluded);
    } else if (regions.allSynced()) {
      conditions.set(
          ClawrateApi.READY,
          true,
          "Published",
          "tenant " + tenant.tenantId() + " is served in " + regions.syncedOf() + " regions");
    } else {
      conditions.set(
          ClawrateApi.READY, false, "Publishing", "served in " + regions.syncedOf() + " regions");
    }
  }
}
