package dev.clawrate.operator.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.rater.snapshot.ModelEntry;
import dev.clawrate.rater.snapshot.SnapshotDocument;
import dev.clawrate.rater.snapshot.TenantEntry;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders a track's snapshot from the RatingModels and TenantConfigs: pure, no I/O, the same inputs
 * always give the same document. A model is published by name once one of its versions validated; a
 * tenant is published when its model is. Names are global in a snapshot, so when two namespaces use
 * one model name or tenant id the oldest resource keeps it and the others are excluded with a
 * reason. A resource that could not be read is excluded with the problem as the reason.
 */
public final class SnapshotRenderer {

  /** Parameters travel with every request to the model; a bound keeps requests small. */
  public static final int MAX_PARAMETERS_BYTES = 16 * 1024;

  private static final Pattern ID = Pattern.compile("[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?");

  private static final Comparator<ModelInput> MODEL_PRECEDENCE =
      Comparator.comparing(ModelInput::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(ModelInput::namespace)
          .thenComparing(ModelInput::name);

  private static final Comparator<TenantInput> TENANT_PRECEDENCE =
      Comparator.comparing(TenantInput::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(TenantInput::namespace)
          .thenComparing(TenantInput::name);

  private SnapshotRenderer() {}

  /**
   * @param previous the snapshot rendered last, or null: a tenant whose new spec cannot be
   *     published keeps the entry it had (its own, never another resource's with the same id) while
   *     that entry's model is still published, so a bad edit loses nothing
   */
  public static RenderedSnapshot render(
      String track, List<ModelInput> models, List<TenantInput> tenants, RenderedSnapshot previous) {
    Map<ResourceKey, String> excluded = new HashMap<>();
    Map<String, ModelInput> modelsByName = new TreeMap<>();
    models.stream()
        .sorted(MODEL_PRECEDENCE)
        .forEach(
            model -> {
              ResourceKey key = ResourceKey.model(model.namespace(), model.name());
              ModelInput owner = modelsByName.get(model.name());
              if (model.problem() != null) {
                excluded.put(key, model.problem());
              } else if (model.digest() == null) {
                excluded.put(key, "no version of the module has validated yet");
              } else if (owner != null) {
                excluded.put(
                    key,
                    "model name '"
                        + model.name()
                        + "' is already used by RatingModel "
                        + owner.namespace()
                        + "/"
                        + owner.name());
              } else {
                modelsByName.put(model.name(), model);
              }
            });

    Map<String, TenantInput> tenantsById = new TreeMap<>();
    Map<String, TenantEntry> tenantEntries = new TreeMap<>();
    Map<String, ResourceKey> owners = new HashMap<>();
    tenants.stream()
        .sorted(TENANT_PRECEDENCE)
        .forEach(
            tenant -> {
              ResourceKey key = ResourceKey.tenant(tenant.namespace(), tenant.name());
              String problem = problemWith(tenant, modelsByName, tenantsById, excluded);
              if (problem != null) {
                excluded.put(key, problem);
                return;
              }
              tenantsById.put(tenant.tenantId(), tenant);
              owners.put(tenant.tenantId(), key);
              tenantEntries.put(
                  tenant.tenantId(),
                  new TenantEntry(
                      tenant.modelName(),
                      tenant.threshold(),
                      parameters(tenant),
                      tenant.apiKeySha256()));
            });

    carryOver(tenants, previous, modelsByName, tenantEntries, owners, excluded);

    Map<String, ModelEntry> modelEntries = new TreeMap<>();
    Map<String, ResourceKey> modelOwners = new HashMap<>();
    modelsByName.forEach(
        (name, model) -> {
          modelEntries.put(
              name, new ModelEntry(model.digest(), model.entrypoint(), model.limits()));
          modelOwners.put(name, ResourceKey.model(model.namespace(), name));
        });
    return new RenderedSnapshot(
        new SnapshotDocument(0, track, modelEntries, tenantEntries), excluded, modelOwners, owners);
  }

  private static void carryOver(
      List<TenantInput> tenants,
      RenderedSnapshot previous,
      Map<String, ModelInput> modelsByName,
      Map<String, TenantEntry> tenantEntries,
      Map<String, ResourceKey> owners,
      Map<ResourceKey, String> excluded) {
    if (previous == null) {
      return;
    }
    for (TenantInput tenant : tenants) {
      ResourceKey key = ResourceKey.tenant(tenant.namespace(), tenant.name());
      if (!excluded.containsKey(key) || tenantEntries.containsKey(tenant.tenantId())) {
        continue;
      }
      TenantEntry before = previous.document().tenants().get(tenant.tenantId());
      ModelInput model = before == null ? null : modelsByName.get(before.model());
      // Only the resource that published the entry may keep it, and only while its model is
      // still the one from its own namespace.
      if (before == null
          || !key.equals(previous.tenantOwners().get(tenant.tenantId()))
          || model == null
          || !model.namespace().equals(tenant.namespace())) {
        continue;
      }
      tenantEntries.put(tenant.tenantId(), before);
      owners.put(tenant.tenantId(), key);
      excluded.put(key, excluded.get(key) + "; the previous configuration is still served");
    }
  }

  /** Why the tenant cannot be published, or null when it can. */
  static String problemWith(
      TenantInput tenant,
      Map<String, ModelInput> modelsByName,
      Map<String, TenantInput> taken,
      Map<ResourceKey, String> excludedModels) {
    if (tenant.problem() != null) {
      return tenant.problem();
    }
    if (tenant.tenantId() == null || !ID.matcher(tenant.tenantId()).matches()) {
      return "tenant id '"
          + tenant.tenantId()
          + "' must be lowercase letters, digits, '-', '.' or '_' (at most 253)";
    }
    TenantInput owner = taken.get(tenant.tenantId());
    if (owner != null) {
      return "tenant id '"
          + tenant.tenantId()
          + "' is already used by TenantConfig "
          + owner.namespace()
          + "/"
          + owner.name();
    }
    if (tenant.threshold() == null || !Double.isFinite(tenant.threshold())) {
      return "threshold must be a finite number";
    }
    if (tenant.parameters() != null
        && !tenant.parameters().isNull()
        && !tenant.parameters().isObject()) {
      return "parameters must be a JSON object";
    }
    if (tenant.parameters() != null
        && tenant.parameters().toString().length() > MAX_PARAMETERS_BYTES) {
      return "parameters are larger than " + MAX_PARAMETERS_BYTES + " bytes of JSON";
    }
    ModelInput model = modelsByName.get(tenant.modelName());
    if (model == null || !model.namespace().equals(tenant.namespace())) {
      String modelRef = "RatingModel " + tenant.namespace() + "/" + tenant.modelName();
      String why = excludedModels.get(ResourceKey.model(tenant.namespace(), tenant.modelName()));
      return why == null ? modelRef + " does not exist" : modelRef + " is not published: " + why;
    }
    return null;
  }

  private static ObjectNode parameters(TenantInput tenant) {
    if (tenant.parameters() == null || tenant.parameters().isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    return (ObjectNode) tenant.parameters();
  }
}
