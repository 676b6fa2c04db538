package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code PartialObjectMetadataList} form of a list, as the API server answers a client that
 * accepts it ({@code Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1}):
 * each item's metadata without the rest of the object, so a list of large objects costs little.
 */
public final class PartialMetadata {

  private static final String ACCEPTED = "as=PartialObjectMetadataList";

  private PartialMetadata() {}

  /** Whether the Accept header asks for the metadata-only form of a list. */
  public static boolean asked(String accept) {
    return accept != null && accept.contains(ACCEPTED);
  }

  public static ObjectNode list(JsonNode list) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode partial = json.objectNode();
    partial.put("kind", "PartialObjectMetadataList");
    partial.put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", list.path("metadata").deepCopy());
    ArrayNode items = partial.putArray("items");
    for (JsonNode item : list.path("items")) {
      ObjectNode entry = items.addObject();
      entry.put("kind", "PartialObjectMetadata");
      entry.put("apiVersion", "meta.k8s.io/v1");
      entry.set("metadata", item.path("metadata").deepCopy());
    }
    return partial;
  }
}
