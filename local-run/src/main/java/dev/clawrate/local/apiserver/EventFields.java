package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a stored core Event findable by the field selectors a real API server offers for Events
 * ({@code involvedObject.*}, {@code reason}, {@code type}, {@code source}), as {@code kubectl
 * describe} lists an object's Events with them. The mock matches a field selector against its
 * index's attributes, which otherwise hold only metadata.name and metadata.namespace.
 */
public final class EventFields {

  private static final List<String> INVOLVED =
      List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath");

  private EventFields() {}

  /**
   * Re-indexes the entry of {@code map} holding {@code stored}, if it is a core Event (written at
   * {@code path}).
   */
  public static void index(String path, Map<AttributeSet, String> map, String stored) {
    if (!path.startsWith("/api/v1/") || !path.contains("/events")) {
      return;
    }
    JsonNode event = Serialization.unmarshal(stored, JsonNode.class);
    if (!"Event".equals(event.path("kind").asText())
        || !"v1".equals(event.path("apiVersion").asText())) {
      return;
    }
    AttributeSet key = null;
    for (Map.Entry<AttributeSet, String> entry : map.entrySet()) {
      if (entry.getValue().equals(stored)) {
        key = entry.getKey();
        break;
      }
    }
    if (key == null) {
      return;
    }
    map.remove(key);
    map.put(key.add(attributes(event).toArray(Attribute[]::new)), stored);
  }

  static List<Attribute> attributes(JsonNode event) {
    List<Attribute> attributes = new ArrayList<>();
    JsonNode involved = event.path("involvedObject");
    for (String field : INVOLVED) {
      if (involved.hasNonNull(field)) {
        attributes.add(new Attribute("involvedObject." + field, involved.get(field).asText()));
      }
    }
    for (String field : List.of("reason", "type")) {
      if (event.hasNonNull(field)) {
        attributes.add(new Attribute(field, event.get(field).asText()));
      }
    }
    if (event.path("source").hasNonNull("component")) {
      attributes.add(new Attribute("source", event.path("source").get("component").asText()));
    }
    return attributes;
  }
}
