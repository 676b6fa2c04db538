package dev.clawrate.operator.world;

import dev.clawrate.operator.api.RatingModel;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The world cache's store of RatingModels, each without its inline module. A render reads a model's
 * name and status, never its module; the reconciler's own cache keeps the module until it is
 * validated, and the validated bytes live in the module library and the region's module ConfigMaps.
 * Without this store every inline module would be held once more, as base64.
 */
final class ModelsWithoutInlineModules extends BasicItemStore<RatingModel> {

  ModelsWithoutInlineModules() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public RatingModel put(String key, RatingModel model) {
    // The informer hands this store the object it just read, before any handler sees it.
    if (model.getSpec() != null && model.getSpec().getModule() != null) {
      model.getSpec().getModule().setInline(null);
    }
    return super.put(key, model);
  }
}
