package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI v3 documents kubectl reads: the index ({@code /openapi/v3}) naming each group
 * version's document with a hash, and per group version the component schemas (named as the API
 * server names them, e.g. {@code dev.clawrate.v1alpha1.RatingModel}, with their group-version-kind)
 * and the PATCH operations that announce {@code fieldValidation}, so {@code kubectl apply} leaves
 * validation to this server and {@code kubectl explain} prints the CRDs' descriptions. Built-in
 * kinds get an open schema: the server stores them as sent.
 */
public final class OpenApiDocuments {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

  /** A kind served here: its group version, plural, scope and schema. */
  public record Kind(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      JsonNode schema) {}

  private final Map<String, String> documents = new LinkedHashMap<>();

  public OpenApiDocuments(List<Kind> kinds) {
    Map<String, List<Kind>> byGroupVersion = new LinkedHashMap<>();
    for (Kind kind : kinds) {
      byGroupVersion.computeIfAbsent(path(kind), k -> new ArrayList<>()).add(kind);
    }
    ObjectNode index = JSON.objectNode();
    ObjectNode paths = index.putObject("paths");
    byGroupVersion.forEach(
        (path, members) -> {
          String document = Serialization.asJson(document(members));
          documents.put("/openapi/v3/" + path, document);
          paths
              .putObject(path)
              .put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hash(document));
        });
    documents.put("/openapi/v3", Serialization.asJson(index));
  }

  /** The documents of {@code crds}' kinds and of the built-in kinds kubectl applies here. */
  public static OpenApiDocuments of(List<CustomResourceDefinition> crds) {
    List<Kind> kinds = new ArrayList<>();
    kinds.add(new Kind("", "v1", "ConfigMap", "configmaps", true, null));
    kinds.add(new Kind("", "v1", "Secret", "secrets", true, null));
    kinds.add(new Kind("", "v1", "Event", "events", true, null));
    kinds.add(new Kind("", "v1", "Namespace", "namespaces", false, null));
    for (CustomResourceDefinition crd : crds) {
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        kinds.add(
            new Kind(
                crd.getSpec().getGroup(),
                version.getName(),
                crd.getSpec().getNames().getKind(),
                crd.getSpec().getNames().getPlural(),
                "Namespaced".equals(crd.getSpec().getScope()),
                Serialization.jsonMapper().valueToTree(version.getSchema().getOpenAPIV3Schema())));
      }
    }
    return new OpenApiDocuments(kinds);
  }

  /** The document at {@code path} (without its query), if there is one. */
  public Optional<String> get(String path) {
    return Optional.ofNullable(documents.get(path));
  }

  private static String path(Kind kind) {
    return kind.group.isEmpty() ? "api/" + kind.version : "apis/" + kind.group + "/" + kind.version;
  }

  private static ObjectNode document(List<Kind> kinds) {
    ObjectNode document = JSON.objectNode();
    document.put("openapi", "3.0.0");
    document.putObject("info").put("title", "Kubernetes").put("version", "v1.35.0");
    ObjectNode paths = document.putObject("paths");
    ObjectNode schemas = document.putObject("components").putObject("schemas");
    schemas.set(
        OBJECT_META,
        JSON.objectNode()
            .put(
                "description",
                "ObjectMeta is metadata that all persisted resources must have, which includes"
                    + " all objects users must create.")
            .put("type", "object")
            .put("x-kubernetes-preserve-unknown-fields", true));
    for (Kind kind : kinds) {
      String name = schemaName(kind);
      schemas.set(name, schema(kind));
      String base =
          "/"
              + path(kind)
              + (kind.namespaced ? "/namespaces/{namespace}/" : "/")
              + kind.plural
              + "/{name}";
      ObjectNode patch = paths.putObject(base).putObject("patch");
      patch.put("operationId", "patch" + kind.kind);
      patch.set("x-kubernetes-group-version-kind", gvk(kind));
      ArrayNode parameters = patch.putArray("parameters");
      for (String parameter : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        parameters
            .addObject()
            .put("name", parameter)
            .put("in", "query")
            .putObject("schema")
            .put("type", parameter.equals("force") ? "boolean" : "string");
      }
      patch
          .putObject("responses")
          .putObject("200")
          .putObject("content")
          .putObject("application/json")
          .putObject("schema")
          .put("$ref", "#/components/schemas/" + name);
    }
    return document;
  }

  /** The API server's name for a kind's schema: the group reversed, then version and kind. */
  static String schemaName(Kind kind) {
    if (kind.group.isEmpty()) {
      return "io.k8s.api.core." + kind.version + "." + kind.kind;
    }
    List<String> parts = new ArrayList<>(List.of(kind.group.split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts) + "." + kind.version + "." + kind.kind;
  }

  private static ObjectNode gvk(Kind kind) {
    return JSON.objectNode()
        .put("group", kind.group)
        .put("kind", kind.kind)
        .put("version", kind.version);
  }

  private static ObjectNode schema(Kind kind) {
    ObjectNode schema =
        kind.schema == null
            ? JSON.objectNode()
                .put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true)
            : kind.schema.deepCopy();
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    properties.set(
        "apiVersion",
        JSON.objectNode()
            .put(
                "description",
                "APIVersion defines the versioned schema of this representation of an object.")
            .put("type", "string"));
    properties.set(
        "kind",
        JSON.objectNode()
            .put(
                "description",
                "Kind is a string value representing the REST resource this object represents.")
            .put("type", "string"));
    ObjectNode metadata = JSON.objectNode();
    metadata.put(
        "description",
        "Standard object's metadata. More info:"
            + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + OBJECT_META);
    properties.set("metadata", metadata);
    schema.putArray("x-kubernetes-group-version-kind").add(gvk(kind));
    return schema;
  }

  private static String hash(String document) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(
              MessageDigest.getInstance("SHA-512")
                  .digest(document.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JVM", e);
    }
  }
}
