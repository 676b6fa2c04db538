package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a value against a structural OpenAPI v3 schema as the API server does for custom
 * resources: types (with nullable and int-or-string), enum, pattern, lengths, bounds, item and
 * property counts, required, and set-typed lists' uniqueness, each failure worded like the
 * server's. Pure; the schema's patterns are compiled once.
 */
final class SchemaValidator {

  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  /** The errors of {@code value} at {@code path} (empty for the root) under {@code schema}. */
  List<FieldError> validate(JsonNode value, JsonNode schema, String path) {
    List<FieldError> errors = new ArrayList<>();
    check(value, schema, path, errors);
    return errors;
  }

  private void check(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
        errors.add(typeError(path, value, schema.get("type").asText()));
      }
      return;
    }
    if (!typeMatches(value, schema, path, errors)) {
      return;
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      List<String> supported = new ArrayList<>();
      schema.get("enum").forEach(v -> supported.add(GoFormat.value(v)));
      errors.add(
          new FieldError(
              FieldError.Type.NOT_SUPPORTED,
              path,
              value,
              "supported values: " + String.join(", ", supported)));
    }
    if (value.isTextual()) {
      checkString(value, schema, path, errors);
    } else if (value.isNumber()) {
      checkNumber(value, schema, path, errors);
    } else if (value.isArray()) {
      checkArray(value, schema, path, errors);
    } else if (value.isObject()) {
      checkObject(value, schema, path, errors);
    }
  }

  private static boolean typeMatches(
      JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (value.isTextual() || isInteger(value)) {
        return true;
      }
      errors.add(typeError(path, value, "integer,string"));
      return false;
    }
    String type = schema.path("type").asText("");
    boolean matches =
        switch (type) {
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> isInteger(value);
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          default -> true;
        };
    if (!matches) {
      errors.add(typeError(path, value, type));
    }
    return matches;
  }

  private static boolean isInteger(JsonNode value) {
    return value.isIntegralNumber()
        || (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
  }

  private static FieldError typeError(String path, JsonNode value, String expected) {
    String actual = typeName(value);
    return new FieldError(
        FieldError.Type.TYPE_INVALID,
        path,
        TextNode.valueOf(actual),
        path + " in body must be of type " + expected + ": " + GoFormat.quoted(actual));
  }

  private static String typeName(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isArray() ? "array" : "object";
  }

  private void checkString(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
    String text = value.asText();
    if (schema.has("maxLength")
        && text.codePointCount(0, text.length()) > schema.get("maxLength").asLong()) {
      errors.add(
          new FieldError(
              FieldError.Type.TOO_LONG,
              path,
              value,
              "may not be more than " + schema.get("maxLength").asLong() + " bytes"));
    }
    if (schema.has("minLength")
        && text.codePointCount(0, text.length()) < schema.get("minLength").asLong()) {
      errors.add(
          invalid(
              path,
              value,
              "should be at least " + schema.get("minLength").asLong() + " chars long"));
    }
    if (schema.has("pattern")) {
      String pattern = schema.get("pattern").asText();
      if (!patterns.computeIfAbsent(pattern, Pattern::compile).matcher(text).find()) {
        errors.add(invalid(path, value, "should match '" + pattern + "'"));
      }
    }
  }

  private static void checkNumber(
      JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
    double number = value.doubleValue();
    if (schema.has("maximum")) {
      double maximum = schema.get("maximum").asDouble();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      if (exclusive ? number >= maximum : number > maximum) {
        errors.add(
            invalid(
                path,
                value,
                "should be less than "
                    + (exclusive ? "" : "or equal to ")
                    + GoFormat.number(maximum)));
      }
    }
    if (schema.has("minimum")) {
      double minimum = schema.get("minimum").asDouble();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      if (exclusive ? number <= minimum : number < minimum) {
        errors.add(
            invalid(
                path,
                value,
                "should be greater than "
                    + (exclusive ? "" : "or equal to ")
                    + GoFormat.number(minimum)));
      }
    }
    if (schema.has("multipleOf")) {
      double factor = schema.get("multipleOf").asDouble();
      double quotient = number / factor;
      if (quotient != Math.rint(quotient)) {
        errors.add(invalid(path, value, "should be a multiple of " + GoFormat.number(factor)));
      }
    }
  }

  private void checkArray(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
    if (schema.has("maxItems") && value.size() > schema.get("maxItems").asLong()) {
      errors.add(
          new FieldError(
              FieldError.Type.TOO_MANY,
              path,
              IntNode.valueOf(value.size()),
              "must have at most " + schema.get("maxItems").asLong() + " items"));
    }
    if (schema.has("minItems") && value.size() < schema.get("minItems").asLong()) {
      errors.add(
          invalid(
              path, value, "should have at least " + schema.get("minItems").asLong() + " items"));
    }
    if ("set".equals(schema.path("x-kubernetes-list-type").asText())) {
      for (int i = 0; i < value.size(); i++) {
        for (int j = 0; j < i; j++) {
          if (value.get(i).equals(value.get(j))) {
            errors.add(
                new FieldError(
                    FieldError.Type.DUPLICATE, FieldPath.index(path, i), value.get(i), ""));
            break;
          }
        }
      }
    }
    JsonNode items = schema.get("items");
    if (items != null) {
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), items, FieldPath.index(path, i), errors);
      }
    }
  }

  private void checkObject(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
    if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asLong()) {
      errors.add(
          new FieldError(
              FieldError.Type.TOO_MANY,
              path,
              IntNode.valueOf(value.size()),
              "must have at most " + schema.get("maxProperties").asLong() + " items"));
    }
    if (schema.has("minProperties") && value.size() < schema.get("minProperties").asLong()) {
      errors.add(
          invalid(
              path,
              value,
              "should have at least " + schema.get("minProperties").asLong() + " properties"));
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        errors.add(
            new FieldError(
                FieldError.Type.REQUIRED, FieldPath.child(path, required.asText()), null, ""));
      }
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (properties.has(field.getKey())) {
        check(
            field.getValue(),
            properties.get(field.getKey()),
            FieldPath.child(path, field.getKey()),
            errors);
      } else if (additional != null && additional.isObject()) {
        check(field.getValue(), additional, FieldPath.key(path, field.getKey()), errors);
      }
    }
  }

  private static FieldError invalid(String path, JsonNode value, String what) {
    return new FieldError(FieldError.Type.INVALID, path, value, path + " in body " + what);
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode candidate : values) {
      if (candidate.equals(value)
          || (candidate.isNumber()
              && value.isNumber()
              && candidate.doubleValue() == value.doubleValue())) {
        return true;
      }
    }
    return false;
  }
}
