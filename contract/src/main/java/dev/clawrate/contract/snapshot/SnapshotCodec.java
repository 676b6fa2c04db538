package dev.clawrate.contract.snapshot;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.engine.WasmAbi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and writes {@code snapshot.json}. Reading checks everything that can be checked without the
 * modules and reports every problem at once, each with the path of the field, so a bad snapshot is
 * rejected with a message that says what to fix. Messages name fields and the rules they break,
 * never the values found: a reason travels to the heartbeat, status conditions and logs, and a
 * value may be a tenant's parameter or key hash. Unknown fields are ignored so older raters accept
 * snapshots from newer operators.
 */
public final class SnapshotCodec {

  /** A snapshot document is small; anything larger is not one. */
  public static final int MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

  public static final String TRACK_STABLE = "stable";
  public static final String TRACK_CANARY = "canary";

  /** Kubernetes-style names: what the operator derives model and tenant keys from. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?");

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern EXPORT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$-]{0,127}");

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SnapshotCodec() {}

  public static SnapshotDocument read(byte[] json) throws SnapshotException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new SnapshotException(
          "snapshot.json is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new SnapshotException("snapshot.json is not UTF-8 text");
    }
    if (root == null || !root.isObject()) {
      throw new SnapshotException("snapshot.json must hold a JSON object");
    }
    List<String> problems = new ArrayList<>();
    long revision = readRevision(root, problems);
    String track = readTrack(root, problems);
    Map<String, ModelEntry> models = readModels(root.get("models"), problems);
    Map<String, TenantEntry> tenants = readTenants(root.get("tenants"), models, problems);
    Map<String, ShadowEntry> shadows = readShadows(root.get("shadows"), tenants, problems);
    if (!problems.isEmpty()) {
      throw new SnapshotException("snapshot rejected: " + String.join("; ", problems));
    }
    return new SnapshotDocument(revision, track, models, tenants, shadows);
  }

  /**
   * Compact JSON with models, tenants and shadows sorted by name, every limit spelled out and empty
   * parameters left out; {@code shadows} only when there are any, so a snapshot without them keeps
   * the bytes it had before shadows existed. Parameters keep the key order they were given in;
   * compare documents, not bytes.
   */
  public static byte[] write(SnapshotDocument snapshot) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("revision", snapshot.revision());
    root.put("track", snapshot.track());
    ObjectNode models = root.putObject("models");
    snapshot.models().forEach((name, model) -> writeModel(models.putObject(name), model));
    ObjectNode tenants = root.putObject("tenants");
    snapshot.tenants().forEach((id, tenant) -> writeTenant(tenants.putObject(id), tenant));
    if (!snapshot.shadows().isEmpty()) {
      ObjectNode shadows = root.putObject("shadows");
      snapshot
          .shadows()
          .forEach(
              (id, shadow) -> {
                ObjectNode node = shadows.putObject(id);
                node.put("sampleRate", shadow.sampleRate());
                writeModel(node.putObject("model"), shadow.model());
                writeTenant(node.putObject("tenant"), shadow.tenant());
              });
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serialises", e);
    }
  }

  private static void writeModel(ObjectNode node, ModelEntry model) {
    node.put("digest", model.digest());
    node.put("entrypoint", model.entrypoint());
    ObjectNode limits = node.putObject("limits");
    limits.put("maxMemoryPages", model.limits().maxMemoryPages());
    limits.put("timeoutMillis", model.limits().timeoutMillis());
    limits.put("maxInputBytes", model.limits().maxInputBytes());
  }

  private static void writeTenant(ObjectNode node, TenantEntry tenant) {
    node.put("model", tenant.model());
    node.put("threshold", tenant.threshold());
    // Omitted when empty: with 10,000 tenants that is 160 KB of "parameters":{}.
    if (!tenant.parameters().isEmpty()) {
      node.set("parameters", tenant.parameters().deepCopy());
    }
    if (tenant.requiresApiKey()) {
      var keys = node.putObject("auth").putArray("apiKeySha256");
      tenant.apiKeySha256().forEach(keys::add);
    }
    if (tenant.fallback() != null) {
      ObjectNode fallback = node.putObject("fallback");
      if (tenant.fallback().model() != null) {
        fallback.put("model", tenant.fallback().model());
      }
      if (tenant.fallback().decision() != null) {
        fallback.put("decision", tenant.fallback().decision());
      }
    }
  }

  private static long readRevision(JsonNode root, List<String> problems) {
    JsonNode revision = root.get("revision");
    if (revision == null || !revision.canConvertToExactIntegral() || revision.asLong() < 0) {
      problems.add("revision must be a non-negative integer");
      return -1;
    }
    return revision.asLong();
  }

  private static String readTrack(JsonNode root, List<String> problems) {
    JsonNode track = root.get("track");
    if (track == null) {
      return TRACK_STABLE;
    }
    String value = track.asText();
    if (!track.isTextual() || !(TRACK_STABLE.equals(value) || TRACK_CANARY.equals(value))) {
      problems.add("track must be \"stable\" or \"canary\"");
    }
    return value;
  }

  private static Map<String, ModelEntry> readModels(JsonNode models, List<String> problems) {
    Map<String, ModelEntry> result = new LinkedHashMap<>();
    if (models == null || !models.isObject()) {
      problems.add("models must be an object of model name to model");
      return result;
    }
    int index = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); index++) {
      Map.Entry<String, JsonNode> field = it.next();
      int before = problems.size();
      String path = path("models", index, field.getKey(), problems);
      ModelEntry model = readModel(path, field.getValue(), problems);
      if (problems.size() == before) {
        result.put(field.getKey(), model);
      }
    }
    return result;
  }

  /** The model at {@code path}, or null when it breaks a rule (with every problem noted). */
  private static ModelEntry readModel(String path, JsonNode model, List<String> problems) {
    if (!model.isObject()) {
      problems.add(path + " must be an object");
      return null;
    }
    int before = problems.size();
    String digest = model.path("digest").asText(null);
    if (!ModuleDigest.isWellFormed(digest)) {
      problems.add(path + ".digest must look like sha256:<64 lowercase hex>");
    }
    String entrypoint = WasmAbi.DEFAULT_ENTRYPOINT;
    JsonNode entry = model.get("entrypoint");
    if (entry != null && !entry.isNull()) {
      entrypoint = entry.asText();
      if (!entry.isTextual() || !EXPORT_NAME.matcher(entrypoint).matches()) {
        problems.add(path + ".entrypoint must be the name of an exported function");
      }
    }
    ModelLimits limits = readLimits(path + ".limits", model.get("limits"), problems);
    return problems.size() == before ? new ModelEntry(digest, entrypoint, limits) : null;
  }

  private static ModelLimits readLimits(String path, JsonNode limits, List<String> problems) {
    if (limits == null || limits.isNull()) {
      return ModelLimits.DEFAULTS;
    }
    if (!limits.isObject()) {
      problems.add(path + " must be an object");
      return ModelLimits.DEFAULTS;
    }
    int pages =
        readLimit(
            path,
            limits,
            "maxMemoryPages",
            ModelLimits.DEFAULT_MAX_MEMORY_PAGES,
            ModelLimits.MAX_MEMORY_PAGES,
            problems);
    int timeout =
        readLimit(
            path,
            limits,
            "timeoutMillis",
            ModelLimits.DEFAULT_TIMEOUT_MILLIS,
            ModelLimits.MAX_TIMEOUT_MILLIS,
            problems);
    int input =
        readLimit(
            path,
            limits,
            "maxInputBytes",
            ModelLimits.DEFAULT_MAX_INPUT_BYTES,
            ModelLimits.MAX_INPUT_BYTES,
            problems);
    return new ModelLimits(pages, timeout, input);
  }

  /** A limit between 1 and {@code max}; the default when absent or wrong (and a problem noted). */
  private static int readLimit(
      String path, JsonNode parent, String field, int fallback, int max, List<String> problems) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToExactIntegral()
        || !value.canConvertToInt()
        || value.asInt() < 1
        || value.asInt() > max) {
      problems.add(path + "." + field + " must be an integer between 1 and " + max);
      return fallback;
    }
    return value.asInt();
  }

  private static Map<String, TenantEntry> readTenants(
      JsonNode tenants, Map<String, ModelEntry> models, List<String> problems) {
    Map<String, TenantEntry> result = new LinkedHashMap<>();
    if (tenants == null || !tenants.isObject()) {
      problems.add("tenants must be an object of tenant id to tenant");
      return result;
    }
    int index = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = tenants.fields(); it.hasNext(); index++) {
      Map.Entry<String, JsonNode> field = it.next();
      int before = problems.size();
      String path = path("tenants", index, field.getKey(), problems);
      JsonNode tenant = field.getValue();
      if (!tenant.isObject()) {
        problems.add(path + " must be an object");
        continue;
      }
      String model = tenant.path("model").asText(null);
      if (model == null) {
        problems.add(path + ".model is required");
      } else if (!models.containsKey(model)) {
        problems.add(path + ".model names no model in models");
      }
      double threshold = readThreshold(path, tenant, problems);
      ObjectNode params = readParameters(path, tenant, problems);
      List<String> keys = readApiKeyHashes(path, tenant.get("auth"), problems);
      TenantFallback fallback =
          readFallback(path + ".fallback", model, tenant.get("fallback"), models, problems);
      if (problems.size() == before) {
        result.put(field.getKey(), new TenantEntry(model, threshold, params, keys, fallback));
      }
    }
    return result;
  }

  private static double readThreshold(String path, JsonNode tenant, List<String> problems) {
    JsonNode threshold = tenant.get("threshold");
    if (threshold == null || !threshold.isNumber() || !Double.isFinite(threshold.asDouble())) {
      problems.add(path + ".threshold must be a number");
      return Double.NaN;
    }
    return threshold.asDouble();
  }

  private static ObjectNode readParameters(String path, JsonNode tenant, List<String> problems) {
    JsonNode parameters = tenant.get("parameters");
    if (parameters == null || parameters.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!parameters.isObject()) {
      problems.add(path + ".parameters must be an object");
      return JsonNodeFactory.instance.objectNode();
    }
    return (ObjectNode) parameters;
  }

  /**
   * Tenant id to shadow; empty when absent. A shadow's model is read as a model of {@code models}
   * is, and its tenant as a tenant of {@code tenants}, except that the tenant's model is a name
   * only (the candidate need not be among the snapshot's models) and its {@code auth} and {@code
   * fallback} are not read: a shadow answers no caller.
   */
  private static Map<String, ShadowEntry> readShadows(
      JsonNode shadows, Map<String, TenantEntry> tenants, List<String> problems) {
    Map<String, ShadowEntry> result = new LinkedHashMap<>();
    if (shadows == null || shadows.isNull()) {
      return result;
    }
    if (!shadows.isObject()) {
      problems.add("shadows must be an object of tenant id to shadow");
      return result;
    }
    int index = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = shadows.fields(); it.hasNext(); index++) {
      Map.Entry<String, JsonNode> field = it.next();
      int before = problems.size();
      String path = path("shadows", index, field.getKey(), problems);
      JsonNode shadow = field.getValue();
      if (!shadow.isObject()) {
        problems.add(path + " must be an object");
        continue;
      }
      if (!tenants.containsKey(field.getKey())) {
        problems.add(path + " names no tenant in tenants");
      }
      JsonNode rate = shadow.get("sampleRate");
      boolean rateOk = rate != null && rate.isNumber() && ShadowEntry.isSampleRate(rate.asDouble());
      if (!rateOk) {
        problems.add(path + ".sampleRate must be a number above 0 and at most 1");
      }
      ModelEntry model = null;
      JsonNode modelNode = shadow.get("model");
      if (modelNode == null || modelNode.isNull()) {
        problems.add(path + ".model is required");
      } else {
        model = readModel(path + ".model", modelNode, problems);
      }
      TenantEntry tenant = null;
      JsonNode tenantNode = shadow.get("tenant");
      if (tenantNode == null || tenantNode.isNull()) {
        problems.add(path + ".tenant is required");
      } else {
        tenant = readShadowTenant(path + ".tenant", tenantNode, problems);
      }
      if (problems.size() == before) {
        result.put(field.getKey(), new ShadowEntry(rate.asDouble(), model, tenant));
      }
    }
    return result;
  }

  /** A shadow's tenant, or null when it breaks a rule (with every problem noted). */
  private static TenantEntry readShadowTenant(String path, JsonNode tenant, List<String> problems) {
    if (!tenant.isObject()) {
      problems.add(path + " must be an object");
      return null;
    }
    int before = problems.size();
    JsonNode model = tenant.get("model");
    if (model == null || model.isNull()) {
      problems.add(path + ".model is required");
    } else if (!model.isTextual() || !NAME.matcher(model.asText()).matches()) {
      problems.add(
          path + ".model must be a model name: lowercase letters, digits, '-', '.' or '_'");
    }
    double threshold = readThreshold(path, tenant, problems);
    ObjectNode params = readParameters(path, tenant, problems);
    return problems.size() == before
        ? new TenantEntry(model.asText(), threshold, params, List.of())
        : null;
  }

  private static List<String> readApiKeyHashes(String path, JsonNode auth, List<String> problems) {
    List<String> keys = new ArrayList<>();
    if (auth == null || auth.isNull()) {
      return keys;
    }
    JsonNode hashes = auth.get("apiKeySha256");
    if (!auth.isObject() || hashes == null || !hashes.isArray()) {
      problems.add(path + ".auth.apiKeySha256 must be an array of hex SHA-256 digests");
      return keys;
    }
    for (JsonNode hash : hashes) {
      if (!hash.isTextual() || !HEX_SHA256.matcher(hash.asText()).matches()) {
        problems.add(path + ".auth.apiKeySha256 entries must be 64 lowercase hex characters");
        return keys;
      }
      keys.add(hash.asText());
    }
    return keys;
  }

  /** The tenant's fallback, or null when it has none or it breaks a rule (with a problem noted). */
  private static TenantFallback readFallback(
      String path,
      String ownModel,
      JsonNode fallback,
      Map<String, ModelEntry> models,
      List<String> problems) {
    if (fallback == null || fallback.isNull()) {
      return null;
    }
    if (!fallback.isObject()) {
      problems.add(path + " must be an object with a model, a decision or both");
      return null;
    }
    int before = problems.size();
    JsonNode model = fallback.get("model");
    boolean hasModel = model != null && !model.isNull();
    if (hasModel && !model.isTextual()) {
      problems.add(path + ".model must be the name of a model in models");
    } else if (hasModel && !models.containsKey(model.asText())) {
      problems.add(path + ".model names no model in models");
    } else if (hasModel && model.asText().equals(ownModel)) {
      problems.add(path + ".model must be another model than the tenant's own");
    }
    JsonNode decision = fallback.get("decision");
    boolean hasDecision = decision != null && !decision.isNull();
    if (hasDecision && !(decision.isTextual() && TenantFallback.isDecision(decision.asText()))) {
      problems.add(
          path
              + ".decision must be a lowercase letter then up to 31 lowercase letters, digits,"
              + " '-' or '_'");
    }
    if (!hasModel && !hasDecision) {
      problems.add(path + " needs a model, a decision or both");
    }
    if (problems.size() > before) {
      return null;
    }
    return new TenantFallback(
        hasModel ? model.asText() : null, hasDecision ? decision.asText() : null);
  }

  /**
   * {@code section.name}, or {@code section[index]} for a name that breaks the rules (with a
   * problem noted): such a name could be anything, and only valid names are shown.
   */
  private static String path(String section, int index, String name, List<String> problems) {
    if (NAME.matcher(name).matches()) {
      return section + "." + name;
    }
    String path = section + "[" + index + "]";
    problems.add(path + ": names must be lowercase letters, digits, '-', '.' or '_' (at most 253)");
    return path;
  }
}
