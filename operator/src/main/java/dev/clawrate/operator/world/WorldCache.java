package dev.clawrate.operator.world;

import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TolerantCustomResource;
import dev.clawrate.operator.canary.ReleasePins;
import dev.clawrate.operator.kube.Informers;
import dev.clawrate.operator.render.Inputs;
import dev.clawrate.operator.render.ResourceKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every RatingModel and TenantConfig the operator watches, kept current by informers: what a
 * snapshot is rendered from. Any change asks for a publish; the publish decides whether anything
 * that raters see changed.
 */
public final class WorldCache implements AutoCloseable {

  private static final String MODEL_REF = "clawrate.dev/model-ref";

  private final SharedIndexInformer<RatingModel> models;
  private final SharedIndexInformer<TenantConfig> tenants;
  private final SharedIndexInformer<CanaryRelease> releases;
  private final List<Consumer<ResourceKey>> modelRefListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<CanaryRelease>> releaseDeletions = new CopyOnWriteArrayList<>();

  /**
   * @param namespace the namespace to watch, or null for all
   */
  public WorldCache(KubernetesClient client, String namespace, Runnable onChange) {
    this.models =
        inform(
            client.resources(RatingModel.class),
            namespace,
            onChange,
            model ->
                List.of(
                    Inputs.model(model),
                    String.valueOf(
                        model.getStatus() == null
                            ? null
                            : model.getStatus().getObservedGeneration())));
    models.itemStore(new ModelsWithoutInlineModules());
    this.tenants =
        inform(
            client.resources(TenantConfig.class),
            namespace,
            onChange,
            tenant ->
                List.of(
                    Inputs.tenant(tenant), String.valueOf(tenant.getMetadata().getGeneration())));
    // A release's status pins what each track serves: a change of that asks for a render.
    this.releases =
        inform(
            client.resources(CanaryRelease.class),
            namespace,
            onChange,
            release -> ReleasePins.governed(List.of(release)));
    releases.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(CanaryRelease release) {}

          @Override
          public void onUpdate(CanaryRelease before, CanaryRelease after) {}

          @Override
          public void onDelete(CanaryRelease release, boolean deletedFinalStateUnknown) {
            releaseDeletions.forEach(listener -> listener.accept(release));
          }
        });
    tenants.addIndexers(
        Map.of(
            MODEL_REF,
            tenant ->
                tenant.getSpec() == null || tenant.getSpec().getModelRef() == null
                    ? List.of()
                    : List.of(
                        tenant.getMetadata().getNamespace()
                            + "/"
                            + tenant.getSpec().getModelRef().getName())));
    tenants.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(TenantConfig tenant) {
            modelRefChanged(tenant);
          }

          @Override
          public void onUpdate(TenantConfig before, TenantConfig after) {
            modelRefChanged(before);
            modelRefChanged(after);
          }

          @Override
          public void onDelete(TenantConfig tenant, boolean deletedFinalStateUnknown) {
            modelRefChanged(tenant);
          }
        });
  }

  /**
   * Told the RatingModel a tenant names, before and after every change of a tenant: a model whose
   * deletion waits for its tenants learns when the last one leaves.
   */
  public void onTenantModelRef(Consumer<ResourceKey> listener) {
    modelRefListeners.add(listener);
  }

  /** Told of each CanaryRelease deleted, as last seen: its release, if any, must not linger. */
  public void onCanaryReleaseDeleted(Consumer<CanaryRelease> listener) {
    releaseDeletions.add(listener);
  }

  private void modelRefChanged(TenantConfig tenant) {
    if (tenant.getSpec() == null || tenant.getSpec().getModelRef() == null) {
      return;
    }
    ResourceKey model =
        ResourceKey.model(
            tenant.getMetadata().getNamespace(), tenant.getSpec().getModelRef().getName());
    modelRefListeners.forEach(listener -> listener.accept(model));
  }

  /**
   * @param rendered what of a resource a publish reads: an update that leaves it unchanged (a
   *     status write of conditions or rater counts) asks for no publish, which would only delay the
   *     next real change by the coalescing period
   */
  private static <T extends HasMetadata> SharedIndexInformer<T> inform(
      MixedOperation<T, ?, Resource<T>> resources,
      String namespace,
      Runnable onChange,
      Function<T, Object> rendered) {
    var scoped = namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
    SharedIndexInformer<T> informer =
        Informers.retryForever(scoped.runnableInformer(0), "custom resources", null);
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            onChange.run();
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            if (!Objects.equals(rendered.apply(oldObj), rendered.apply(newObj))) {
              onChange.run();
            }
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            onChange.run();
          }
        });
    return informer;
  }

  public void start() {
    models.start();
    tenants.start();
    releases.start();
  }

  /** Whether both caches hold a full list: before that a render would drop resources. */
  public boolean synced() {
    return models.hasSynced() && tenants.hasSynced() && releases.hasSynced();
  }

  public List<CanaryRelease> canaryReleases() {
    return releases.getStore().list();
  }

  /** The RatingModels, without their inline modules ({@link ModelsWithoutInlineModules}). */
  public List<RatingModel> models() {
    return models.getStore().list();
  }

  public List<TenantConfig> tenants() {
    return tenants.getStore().list();
  }

  /** The TenantConfigs of the model's namespace whose modelRef names it, from an index. */
  public List<TenantConfig> tenantsNaming(ResourceKey model) {
    return tenants.getIndexer().byIndex(MODEL_REF, model.namespace() + "/" + model.name());
  }

  /** The RatingModel of that namespace and name, without its inline module, or null. */
  public RatingModel model(String namespace, String name) {
    return models.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  /** How many resources of the kind cannot be read (spec or status). */
  public long unreadable(String kind) {
    List<? extends TolerantCustomResource<?, ?>> resources =
        switch (kind) {
          case "RatingModel" -> models();
          case "TenantConfig" -> tenants();
          default -> canaryReleases();
        };
    return resources.stream()
        .filter(r -> r.specProblem() != null || r.statusProblem() != null)
        .count();
  }

  @Override
  public void close() {
    models.close();
    tenants.close();
    releases.close();
  }
}
