package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Fills in a structural schema's defaults as the API server does: a field that is absent (or null
 * where it may not be) gets its default, and defaults below it apply in turn, so {@code limits: {}}
 * defaulted gains its own fields' defaults. Pure, but changes the object it is given.
 */
final class Defaults {

  private Defaults() {}

  static void apply(JsonNode value, JsonNode schema) {
    if (schema == null) {
      return;
    }
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode propertySchema = property.getValue();
        JsonNode current = object.get(property.getKey());
        boolean missing =
            current == null
                || (current.isNull() && !propertySchema.path("nullable").asBoolean(false));
        if (missing && propertySchema.has("default")) {
          object.set(property.getKey(), propertySchema.get("default").deepCopy());
        }
        if (object.has(property.getKey())) {
          apply(object.get(property.getKey()), propertySchema);
        }
      }
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && additional.isObject()) {
        object.forEach(field -> apply(field, additional));
      }
    } else if (value instanceof ArrayNode array) {
      array.forEach(item -> apply(item, schema.get("items")));
    }
  }
}
