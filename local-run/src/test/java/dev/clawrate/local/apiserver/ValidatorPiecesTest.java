package dev.clawrate.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator's pieces without a server: wording, pruning, defaults, CEL. Pure. */
class ValidatorPiecesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode yaml(String text) throws IOException {
    return YAML.readTree(text);
  }

  @Test
  void numbersAreWrittenAsGoWritesAFloat64() {
    assertEquals("65536", GoFormat.number(65536));
    assertEquals("4096", GoFormat.number(4096));
    assertEquals("4.194304e+06", GoFormat.number(4194304));
    assertEquals("1e+08", GoFormat.number(1e8));
    assertEquals("0.25", GoFormat.number(0.25));
    assertEquals("99.9999", GoFormat.number(99.9999));
    assertEquals("1e-06", GoFormat.number(1e-6));
    assertEquals("-1e+09", GoFormat.number(-1e9));
    assertEquals("0", GoFormat.number(0));
    assertEquals("\"a\\\"b\"", GoFormat.quoted("a\"b"));
  }

  @Test
  void prunesUnknownFieldsButKeepsPreservedOnesAndMaps() throws IOException {
    JsonNode schema =
        yaml(
            """
            type: object
            properties:
              spec:
                type: object
                properties:
                  known: {type: string}
                  free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  labels: {type: object, additionalProperties: {type: string}}
                  items: {type: array, items: {type: object, properties: {a: {type: integer}}}}
            """);
    ObjectNode object =
        (ObjectNode)
            yaml(
                """
                apiVersion: x/v1
                kind: X
                metadata: {name: n, anything: kept}
                spec:
                  known: k
                  unknown: u
                  free: {any: {deep: 1}}
                  labels: {a: b}
                  items: [{a: 1, b: 2}]
                  known2: null
                top: 1
                """);
    List<String> pruned = UnknownFields.prune(object, schema);
    assertEquals(List.of("spec.unknown", "spec.items[0].b", "spec.known2", "top"), pruned);
    assertEquals(
        yaml(
            """
            apiVersion: x/v1
            kind: X
            metadata: {name: n, anything: kept}
            spec:
              known: k
              free: {any: {deep: 1}}
              labels: {a: b}
              items: [{a: 1}]
            """),
        object);
  }

  @Test
  void defaultsApplyBelowADefaultedObjectAndReplaceNulls() throws IOException {
    JsonNode schema =
        yaml(
            """
            type: object
            properties:
              limits:
                type: object
                default: {}
                properties:
                  pages: {type: integer, default: 256}
                  millis: {type: integer, default: 50}
              name: {type: string, default: rate}
            """);
    ObjectNode object = (ObjectNode) yaml("{limits: null, name: given}");
    UnknownFields.prune(object, schema);
    Defaults.apply(object, schema);
    assertEquals(yaml("{limits: {pages: 256, millis: 50}, name: given}"), object);
  }

  @Test
  void schemaErrorsAreWordedAsTheApiServerWordsThem() throws IOException {
    JsonNode schema =
        yaml(
            """
            type: object
            properties:
              mode: {type: string, enum: [fast, slow]}
              ratio: {type: number, maximum: 1, exclusiveMaximum: true, minimum: 0, exclusiveMinimum: true}
              port: {x-kubernetes-int-or-string: true}
              tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
              opt: {type: string, nullable: true}
              labels: {type: object, maxProperties: 1, minProperties: 1, additionalProperties: {type: string}}
            """);
    List<FieldError> errors =
        new SchemaValidator()
            .validate(
                yaml(
                    "{mode: quick, ratio: 1, port: true, tags: [a, a], opt: null, labels: {a: b, c: d}}"),
                schema,
                "spec");
    assertEquals(
        List.of(
            "spec.mode: Unsupported value: \"quick\": supported values: \"fast\", \"slow\"",
            "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1",
            "spec.port: Invalid value: \"boolean\": spec.port in body must be of type"
                + " integer,string: \"boolean\"",
            "spec.tags[1]: Duplicate value: \"a\"",
            "spec.labels: Too many: 2: must have at most 1 items"),
        errors.stream().map(FieldError::message).toList());
    assertEquals(
        List.of("spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0"),
        new SchemaValidator()
            .validate(yaml("{ratio: 0, port: 8080, labels: {a: b}}"), schema, "spec").stream()
                .map(FieldError::message)
                .toList());
  }

  @Test
  void celRulesSeeSelfOldSelfAndReportAsConfigured() throws IOException {
    JsonNode schema =
        yaml(
            """
            type: object
            properties:
              replicas:
                type: integer
                x-kubernetes-validations:
                - rule: self >= oldSelf
                  message: may not shrink
              size:
                type: object
                properties: {max: {type: integer}, min: {type: integer}}
                x-kubernetes-validations:
                - rule: self.min <= self.max
                  messageExpression: "'min ' + string(self.min) + ' above max ' + string(self.max)"
                  fieldPath: .min
                  reason: FieldValueForbidden
                - rule: self.max < 100
            """);
    CelRules rules = new CelRules(schema, "test");
    assertEquals(3, rules.size());
    JsonNode object = yaml("{replicas: 2, size: {min: 150, max: 100}}");
    assertEquals(
        List.of(
            "spec.size.min: Forbidden: min 150 above max 100",
            "spec.size: Invalid value: \"object\": failed rule: self.max < 100"),
        rules.validate(object, null, schema, "spec").stream().map(FieldError::message).toList(),
        "the transition rule waits for an update");
    assertEquals(
        List.of("spec.replicas: Invalid value: \"integer\": may not shrink"),
        rules
            .validate(
                yaml("{replicas: 2, size: {min: 1, max: 2}}"),
                yaml("{replicas: 3}"),
                schema,
                "spec")
            .stream()
            .map(FieldError::message)
            .toList());
  }

  @Test
  void aRuleThatDoesNotCompileFailsAtStartup() throws IOException {
    JsonNode schema =
        yaml(
            """
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                - rule: self.a ==
            """);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> new CelRules(schema, "Thing.example.dev/v1"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Thing.example.dev/v1: x-kubernetes-validations rule at spec does not compile"),
        e.getMessage());
  }
}
