package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the API server does to a custom resource of one CRD version before storing it: prunes
 * unknown fields, applies defaults, checks metadata.name, the structural schema and the CEL rules.
 * Pure; built once per CRD, when its rules are compiled.
 */
public final class CustomResourceValidator {

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String DNS1123_SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  private final String group;
  private final String version;
  private final String kind;
  private final JsonNode schema;
  private final SchemaValidator validator = new SchemaValidator();
  private final CelRules rules;

  /**
   * What came of one object.
   *
   * @param object the object as it would be stored: pruned and defaulted
   * @param unknownFields the paths of the fields pruned
   * @param errors why it may not be stored, empty if it may
   */
  public record Outcome(ObjectNode object, List<String> unknownFields, List<FieldError> errors) {}

  CustomResourceValidator(String group, String version, String kind, JsonNode schema) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.schema = schema;
    this.rules = new CelRules(schema, kind + "." + group + "/" + version);
  }

  /** One validator per served version of {@code crd}. */
  public static List<CustomResourceValidator> of(CustomResourceDefinition crd) {
    List<CustomResourceValidator> validators = new ArrayList<>();
    for (CustomResourceDefinitionVersion served : crd.getSpec().getVersions()) {
      if (Boolean.TRUE.equals(served.getServed()) && served.getSchema() != null) {
        validators.add(
            new CustomResourceValidator(
                crd.getSpec().getGroup(),
                served.getName(),
                crd.getSpec().getNames().getKind(),
                Serialization.jsonMapper().valueToTree(served.getSchema().getOpenAPIV3Schema())));
      }
    }
    return validators;
  }

  public String group() {
    return group;
  }

  public String apiVersion() {
    return group + "/" + version;
  }

  public String version() {
    return version;
  }

  public String kind() {
    return kind;
  }

  /**
   * @param object the object to store (not changed)
   * @param old the stored object it replaces, null on create
   */
  public Outcome admit(JsonNode object, JsonNode old) {
    ObjectNode admitted = object.deepCopy();
    List<String> unknown = UnknownFields.prune(admitted, schema);
    Defaults.apply(admitted, schema);
    List<FieldError> errors = new ArrayList<>();
    JsonNode name = admitted.path("metadata").path("name");
    if (name.isTextual() && !name.asText().isEmpty()) {
      if (name.asText().length() > 253) {
        errors.add(
            new FieldError(
                FieldError.Type.INVALID,
                "metadata.name",
                name,
                "must be no more than 253 characters"));
      }
      if (!DNS1123_SUBDOMAIN.matcher(name.asText()).matches()) {
        errors.add(
            new FieldError(
                FieldError.Type.INVALID, "metadata.name", name, DNS1123_SUBDOMAIN_MESSAGE));
      }
    } else {
      errors.add(
          new FieldError(
              FieldError.Type.REQUIRED,
              "metadata.name",
              TextNode.valueOf(""),
              "name or generateName is required"));
    }
    List<FieldError> schemaErrors = validator.validate(admitted, schema, "");
    errors.addAll(schemaErrors);
    if (schemaErrors.stream().anyMatch(e -> e.type() == FieldError.Type.TYPE_INVALID)) {
      // As the server: rules are not run over values of the wrong type.
      errors.add(
          new FieldError(
              FieldError.Type.INVALID,
              "<nil>",
              NullNode.getInstance(),
              "some validation rules were not checked because the object was invalid; correct"
                  + " the existing errors to complete validation"));
    } else {
      errors.addAll(rules.validate(admitted, old, schema, ""));
    }
    return new Outcome(admitted, unknown, List.copyOf(errors));
  }
}
