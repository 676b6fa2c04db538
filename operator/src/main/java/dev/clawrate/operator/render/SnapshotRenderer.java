package dev.clawrate.operator.render;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.snapshot.TenantFallback;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.tenancy.Claims;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders a track's snapshot from the RatingModels and TenantConfigs: pure, no I/O, the same inputs
 * always give the same document. A model is published by name once one of its versions validated; a
 * tenant is published when its model is. Model names and tenant ids are global in a snapshot, so
 * each belongs to the namespace that claimed it first ({@link Claims}); among unclaimed contenders
 * the oldest resource wins and claims it. A resource refused a name is excluded with a reason that
 * does not name the other namespace.
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
   * @param previous the snapshot published last (read back from the cluster after a restart), or
   *     null: a tenant whose new spec cannot be published keeps the entry it had while its
   *     namespace owns the id and the entry's model is still published from that namespace, so a
   *     bad edit loses nothing
   * @param claims the names already claimed; the result carries these plus the ones this render
   *     claims
   */
  public static RenderedSnapshot render(
      String track,
      List<ModelInput> models,
      List<TenantInput> tenants,
      SnapshotDocument previous,
      Claims claims) {
    Map<ResourceKey, Exclusion> excluded = new HashMap<>();
    Map<String, ModelInput> modelsByName = new TreeMap<>();
    Map<String, String> claimedModels = new TreeMap<>(claims.models());
    models.stream()
        .sorted(MODEL_PRECEDENCE)
        .forEach(
            model -> {
              ResourceKey key = ResourceKey.model(model.namespace(), model.name());
              String owner = claimedModels.get(model.name());
              if (model.problem() != null) {
                excluded.put(key, Exclusion.of(Exclusion.INVALID_SPEC, model.problem()));
              } else if (model.digest() == null) {
                excluded.put(
                    key,
                    Exclusion.of(
                        Exclusion.NOT_VALIDATED, "no version of the module has validated yet"));
              } else if (owner != null && !owner.equals(model.namespace())) {
                excluded.put(key, nameTaken("model name", model.name()));
              } else {
                modelsByName.put(model.name(), model);
                claimedModels.put(model.name(), model.namespace());
              }
            });

    Map<String, TenantInput> tenantsById = new TreeMap<>();
    Map<String, TenantEntry> tenantEntries = new TreeMap<>();
    Map<String, ResourceKey> owners = new HashMap<>();
    Map<String, String> claimedTenants = new TreeMap<>(claims.tenants());
    tenants.stream()
        .sorted(TENANT_PRECEDENCE)
        .forEach(
            tenant -> {
              ResourceKey key = ResourceKey.tenant(tenant.namespace(), tenant.name());
              Exclusion problem =
                  problemWith(tenant, modelsByName, tenantsById, claimedTenants, excluded);
              if (problem != null) {
                excluded.put(key, problem);
                return;
              }
              tenantsById.put(tenant.tenantId(), tenant);
              claimedTenants.put(tenant.tenantId(), tenant.namespace());
              owners.put(tenant.tenantId(), key);
              tenantEntries.put(
                  tenant.tenantId(),
                  new TenantEntry(
                      tenant.modelName(),
                      tenant.threshold(),
                      parameters(tenant),
                      tenant.apiKeySha256(),
                      fallback(tenant)));
            });

    carryOver(tenants, previous, modelsByName, claimedTenants, tenantEntries, owners, excluded);

    Map<ResourceKey, Set<String>> tenantRegions = new HashMap<>();
    for (TenantInput tenant : tenants) {
      if (tenant.regions() != null && whyNotRegions(tenant.regions()) == null) {
        tenantRegions.put(
            ResourceKey.tenant(tenant.namespace(), tenant.name()), Set.copyOf(tenant.regions()));
      }
    }

    Map<String, ModelEntry> modelEntries = new TreeMap<>();
    Map<String, ResourceKey> modelOwners = new HashMap<>();
    modelsByName.forEach(
        (name, model) -> {
          modelEntries.put(
              name, new ModelEntry(model.digest(), model.entrypoint(), model.limits()));
          modelOwners.put(name, ResourceKey.model(model.namespace(), name));
        });
    return new RenderedSnapshot(
        new SnapshotDocument(0, track, modelEntries, tenantEntries),
        excluded,
        modelOwners,
        owners,
        tenantRegions,
        new Claims(claimedTenants, claimedModels));
  }

  private static void carryOver(
      List<TenantInput> tenants,
      SnapshotDocument previous,
      Map<String, ModelInput> modelsByName,
      Map<String, String> claimedTenants,
      Map<String, TenantEntry> tenantEntries,
      Map<String, ResourceKey> owners,
      Map<ResourceKey, Exclusion> excluded) {
    if (previous == null) {
      return;
    }
    tenants.stream()
        .sorted(TENANT_PRECEDENCE)
        .forEach(
            tenant -> {
              ResourceKey key = ResourceKey.tenant(tenant.namespace(), tenant.name());
              String id = tenant.tenantId();
              if (!excluded.containsKey(key) || id == null || tenantEntries.containsKey(id)) {
                return;
              }
              TenantEntry before = previous.tenants().get(id);
              ModelInput model = before == null ? null : modelsByName.get(before.model());
              // Only the namespace that owns the id keeps its entry, and only while the entry's
              // models (its own and its fallback) are still published from that same namespace.
              if (before == null
                  || !tenant.namespace().equals(claimedTenants.get(id))
                  || !publishedFrom(model, tenant.namespace())
                  || (before.fallback() != null
                      && before.fallback().model() != null
                      && !publishedFrom(
                          modelsByName.get(before.fallback().model()), tenant.namespace()))) {
                return;
              }
              tenantEntries.put(id, before);
              owners.put(id, key);
              excluded.put(key, excluded.get(key).carried());
            });
  }

  private static boolean publishedFrom(ModelInput model, String namespace) {
    return model != null && model.namespace().equals(namespace);
  }

  /** Why the tenant cannot be published, or null when it can. */
  static Exclusion problemWith(
      TenantInput tenant,
      Map<String, ModelInput> modelsByName,
      Map<String, TenantInput> taken,
      Map<String, String> claimedTenants,
      Map<ResourceKey, Exclusion> excludedModels) {
    if (tenant.problem() != null) {
      return Exclusion.of(Exclusion.INVALID_SPEC, tenant.problem());
    }
    if (tenant.tenantId() == null || !ID.matcher(tenant.tenantId()).matches()) {
      return Exclusion.of(
          Exclusion.INVALID_TENANT_ID,
          "the tenant id must be lowercase letters, digits, '-', '.' or '_' (at most 253)");
    }
    String owner = claimedTenants.get(tenant.tenantId());
    if (owner != null && !owner.equals(tenant.namespace())) {
      return nameTaken("tenant id", tenant.tenantId());
    }
    TenantInput holder = taken.get(tenant.tenantId());
    if (holder != null) {
      // Same namespace (another namespace would have been refused by its claim above).
      return Exclusion.of(
          Exclusion.DUPLICATE_TENANT_ID,
          "tenant id '"
              + tenant.tenantId()
              + "' is already used by TenantConfig "
              + holder.namespace()
              + "/"
              + holder.name());
    }
    if (tenant.threshold() == null || !Double.isFinite(tenant.threshold())) {
      return Exclusion.of(Exclusion.INVALID_THRESHOLD, "threshold must be a finite number");
    }
    if (tenant.parameters() != null
        && !tenant.parameters().isNull()
        && !tenant.parameters().isObject()) {
      return Exclusion.of(Exclusion.INVALID_PARAMETERS, "parameters must be a JSON object");
    }
    if (tenant.parameters() != null
        && tenant.parameters().toString().length() > MAX_PARAMETERS_BYTES) {
      return Exclusion.of(
          Exclusion.INVALID_PARAMETERS,
          "parameters are larger than " + MAX_PARAMETERS_BYTES + " bytes of JSON");
    }
    if (tenant.regions() != null && whyNotRegions(tenant.regions()) != null) {
      return Exclusion.of(Exclusion.INVALID_REGIONS, whyNotRegions(tenant.regions()));
    }
    Exclusion model =
        unpublished(
            tenant,
            tenant.modelName(),
            modelsByName,
            excludedModels,
            "",
            Exclusion.MODEL_NOT_FOUND,
            Exclusion.MODEL_NOT_PUBLISHED);
    if (model != null) {
      return model;
    }
    if (tenant.fallbackDecision() != null
        && !TenantFallback.isDecision(tenant.fallbackDecision())) {
      return Exclusion.of(
          Exclusion.INVALID_FALLBACK,
          "fallback.decision must be a lowercase letter then up to 31 lowercase letters, digits,"
              + " '_' or '-'");
    }
    if (tenant.fallbackModel() != null) {
      if (tenant.fallbackModel().equals(tenant.modelName())) {
        return Exclusion.of(
            Exclusion.INVALID_FALLBACK, "fallback.modelRef must name another model than modelRef");
      }
      return unpublished(
          tenant,
          tenant.fallbackModel(),
          modelsByName,
          excludedModels,
          "fallback ",
          Exclusion.INVALID_FALLBACK,
          Exclusion.INVALID_FALLBACK);
    }
    return null;
  }

  /** Why a model the tenant names is not published from its namespace, or null when it is. */
  private static Exclusion unpublished(
      TenantInput tenant,
      String name,
      Map<String, ModelInput> modelsByName,
      Map<ResourceKey, Exclusion> excludedModels,
      String role,
      String notFound,
      String notPublished) {
    ModelInput model = modelsByName.get(name);
    if (model != null && model.namespace().equals(tenant.namespace())) {
      return null;
    }
    String modelRef = role + "RatingModel " + tenant.namespace() + "/" + name;
    Exclusion why = excludedModels.get(ResourceKey.model(tenant.namespace(), name));
    return why == null
        ? Exclusion.of(notFound, modelRef + " does not exist")
        : Exclusion.of(notPublished, modelRef + " is not published: " + why.message());
  }

  private static TenantFallback fallback(TenantInput tenant) {
    return tenant.fallbackModel() == null && tenant.fallbackDecision() == null
        ? null
        : new TenantFallback(tenant.fallbackModel(), tenant.fallbackDecision());
  }

  /** Why a tenant's list of regions cannot be used, or null. */
  public static String whyNotRegions(List<String> regions) {
    if (regions.isEmpty()) {
      return "regions must name at least one region, or be left out for all";
    }
    for (String region : regions) {
      if (region == null || KubeNames.whyNotDnsLabel(region) != null) {
        return "every region must be a DNS label (lowercase letters, digits and '-')";
      }
    }
    return null;
  }

  /** Refusal of a name another namespace owns; which namespace is not the claimant's business. */
  private static Exclusion nameTaken(String what, String name) {
    return Exclusion.of(
        Exclusion.NAME_CLAIMED,
        what
            + " '"
            + name
            + "' belongs to another namespace (the first to publish a name keeps it; the"
            + " platform admin can move it, see docs/tenancy.md)");
  }

  private static ObjectNode parameters(TenantInput tenant) {
    if (tenant.parameters() == null || tenant.parameters().isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    return (ObjectNode) tenant.parameters();
  }
}
