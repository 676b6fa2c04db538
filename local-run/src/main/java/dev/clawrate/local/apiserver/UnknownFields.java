package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the fields a structural schema does not know, as the API server prunes custom resources:
 * everywhere except below {@code x-kubernetes-preserve-unknown-fields} and in maps ({@code
 * additionalProperties}); at the root {@code apiVersion}, {@code kind} and {@code metadata} are
 * always known. A null where the schema does not allow one goes too. Pure, but changes the object
 * it is given.
 */
final class UnknownFields {

  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private UnknownFields() {}

  /** Prunes {@code object} under its CRD's root {@code schema}; the paths of what went. */
  static List<String> prune(ObjectNode object, JsonNode schema) {
    List<String> pruned = new ArrayList<>();
    pruneObject(object, schema, "", ROOT_FIELDS, pruned);
    return pruned;
  }

  private static void prune(JsonNode value, JsonNode schema, String path, List<String> pruned) {
    if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    if (value.isObject()) {
      pruneObject((ObjectNode) value, schema, path, Set.of(), pruned);
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        prune(value.get(i), schema.get("items"), FieldPath.index(path, i), pruned);
      }
    }
  }

  private static void pruneObject(
      ObjectNode object, JsonNode schema, String path, Set<String> known, List<String> pruned) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    boolean map = additional != null && additional.isObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (known.contains(name)) {
        continue;
      }
      if (properties.has(name)
          && field.getValue().isNull()
          && !properties.get(name).path("nullable").asBoolean(false)) {
        // The server drops nulls where the schema does not allow them, before defaulting.
        it.remove();
      } else if (properties.has(name)) {
        prune(field.getValue(), properties.get(name), FieldPath.child(path, name), pruned);
      } else if (map) {
        prune(field.getValue(), additional, FieldPath.key(path, name), pruned);
      } else if (additional == null || !additional.asBoolean(false)) {
        pruned.add(FieldPath.child(path, name));
        it.remove();
      }
    }
  }
}
