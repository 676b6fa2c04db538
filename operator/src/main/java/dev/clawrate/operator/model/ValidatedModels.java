package dev.clawrate.operator.model;

import dev.clawrate.operator.render.ResourceKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RatingModels this operator process has validated (or refused) at least once. A tenant whose
 * model has no validated version yet and has not been looked at either has nothing settled to
 * report: its status waits, so a cold start writes each tenant's status once, not once for "model
 * not validated yet" and again a moment later.
 */
public final class ValidatedModels {

  // Written by model reconciles, read by tenant reconciles; only ever grows with the models seen.
  private final Set<ResourceKey> settled = ConcurrentHashMap.newKeySet();

  /**
   * @return true the first time the model settles
   */
  boolean settle(ResourceKey model) {
    return settled.add(model);
  }

  void forget(ResourceKey model) {
    settled.remove(model);
  }

  public boolean settled(ResourceKey model) {
    return settled.contains(model);
  }
}
