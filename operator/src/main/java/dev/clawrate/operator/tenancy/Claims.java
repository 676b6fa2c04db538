package dev.clawrate.operator.tenancy;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which namespace each published tenant id and model name belongs to. The first namespace to
 * publish a name claims it, and the claim outlives the object that made it: a TenantConfig in
 * another namespace cannot take an id over because its owner's object went away for a moment (an
 * Argo CD replace deletes and re-creates). Only the platform admin moves or releases a claim, by
 * editing the claims ConfigMap ({@link ClaimStore}).
 *
 * @param tenants tenant id to namespace
 * @param models model name to namespace
 */
public record Claims(Map<String, String> tenants, Map<String, String> models) {

  public static final Claims NONE = new Claims(Map.of(), Map.of());

  public Claims {
    tenants = Collections.unmodifiableSortedMap(new TreeMap<>(tenants));
    models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
  }

  /** The namespace that owns the tenant id, or null while nobody has claimed it. */
  public String tenantOwner(String tenantId) {
    return tenants.get(tenantId);
  }

  /** The namespace that owns the model name, or null while nobody has claimed it. */
  public String modelOwner(String modelName) {
    return models.get(modelName);
  }

  /** Whether {@code namespace} may publish the tenant id: it owns it, or nobody does. */
  public boolean tenantAllowed(String tenantId, String namespace) {
    String owner = tenants.get(tenantId);
    return owner == null || owner.equals(namespace);
  }

  /** Whether {@code namespace} may publish the model name: it owns it, or nobody does. */
  public boolean modelAllowed(String modelName, String namespace) {
    String owner = models.get(modelName);
    return owner == null || owner.equals(namespace);
  }

  /** These claims with every claim of {@code added} that is not already held by someone. */
  public Claims plus(Claims added) {
    Map<String, String> t = new TreeMap<>(tenants);
    added.tenants.forEach(t::putIfAbsent);
    Map<String, String> m = new TreeMap<>(models);
    added.models.forEach(m::putIfAbsent);
    return new Claims(t, m);
  }

  /** Whether {@code other} holds a claim these do not. */
  public boolean lacksAnyOf(Claims other) {
    return !tenants.keySet().containsAll(other.tenants.keySet())
        || !models.keySet().containsAll(other.models.keySet());
  }
}
