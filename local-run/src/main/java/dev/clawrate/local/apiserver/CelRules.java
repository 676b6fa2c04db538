package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CRD schema's {@code x-kubernetes-validations} rules, compiled once (a rule that does not
 * compile is refused here, as the API server refuses the CRD), and evaluated over an object with
 * {@code self} bound to the value at the rule's schema node (objects as maps, lists as lists,
 * integers as ints) and, on update, {@code oldSelf} to its previous value for transition rules.
 */
final class CelRules {

  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private record Rule(
      String source,
      CelRuntime.Program program,
      CelRuntime.Program messageExpression,
      String message,
      String fieldPath,
      FieldError.Type type,
      boolean transition) {}

  private final Map<JsonNode, List<Rule>> rules = new IdentityHashMap<>();

  /**
   * @param schema a CRD version's openAPIV3Schema
   * @param where names the CRD in the error of a rule that does not compile
   */
  CelRules(JsonNode schema, String where) {
    compileAll(schema, where, "");
  }

  /** How many rules the schema holds. */
  int size() {
    return rules.values().stream().mapToInt(List::size).sum();
  }

  private void compileAll(JsonNode schema, String where, String path) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    List<Rule> compiled = new ArrayList<>();
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      String rule = validation.path("rule").asText();
      compiled.add(
          new Rule(
              rule,
              program(rule, where, path),
              validation.has("messageExpression")
                  ? program(validation.get("messageExpression").asText(), where, path)
                  : null,
              validation.path("message").asText(""),
              validation.path("fieldPath").asText(""),
              FieldError.Type.ofRuleReason(validation.path("reason").asText(null)),
              OLD_SELF.matcher(rule).find()));
    }
    if (!compiled.isEmpty()) {
      rules.put(schema, List.copyOf(compiled));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      compileAll(property.getValue(), where, FieldPath.child(path, property.getKey()));
    }
    compileAll(schema.get("items"), where, path + "[*]");
    compileAll(schema.get("additionalProperties"), where, path + "[*]");
  }

  private static CelRuntime.Program program(String expression, String where, String path) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException(
          where
              + ": x-kubernetes-validations rule at "
              + (path.isEmpty() ? "<root>" : path)
              + " does not compile: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The errors of {@code value} (at {@code path}) under {@code schema}, with {@code old} its
   * previous value (null on create).
   */
  List<FieldError> validate(JsonNode value, JsonNode old, JsonNode schema, String path) {
    List<FieldError> errors = new ArrayList<>();
    check(value, old, schema, path, errors);
    return errors;
  }

  private void check(
      JsonNode value, JsonNode old, JsonNode schema, String path, List<FieldError> errors) {
    if (schema == null || value == null || value.isNull()) {
      return;
    }
    for (Rule rule : rules.getOrDefault(schema, List.of())) {
      if (rule.transition && old == null) {
        continue;
      }
      evaluate(rule, value, old, schema, path, errors);
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode propertySchema = schema.path("properties").get(field.getKey());
        JsonNode fieldOld = old == null ? null : old.get(field.getKey());
        if (propertySchema != null) {
          check(
              field.getValue(),
              fieldOld,
              propertySchema,
              FieldPath.child(path, field.getKey()),
              errors);
        } else if (schema.path("additionalProperties").isObject()) {
          check(
              field.getValue(),
              fieldOld,
              schema.get("additionalProperties"),
              FieldPath.key(path, field.getKey()),
              errors);
        }
      }
    } else if (value.isArray()) {
      // Lists are atomic here: their items have no previous value to compare with.
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), null, schema.get("items"), FieldPath.index(path, i), errors);
      }
    }
  }

  private static void evaluate(
      Rule rule,
      JsonNode value,
      JsonNode old,
      JsonNode schema,
      String path,
      List<FieldError> errors) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("self", CelValues.of(value));
    if (old != null) {
      variables.put("oldSelf", CelValues.of(old));
    }
    String field = rule.fieldPath.isEmpty() ? path : path + rule.fieldPath;
    JsonNode typeName = TextNode.valueOf(schema.path("type").asText(""));
    Object result;
    try {
      result = rule.program.eval(variables);
    } catch (CelEvaluationException e) {
      errors.add(
          new FieldError(
              FieldError.Type.INVALID,
              field,
              typeName,
              "rule evaluation error: " + e.getMessage()));
      return;
    }
    if (Boolean.TRUE.equals(result)) {
      return;
    }
    errors.add(new FieldError(rule.type, field, typeName, message(rule, variables)));
  }

  private static String message(Rule rule, Map<String, Object> variables) {
    if (rule.messageExpression != null) {
      try {
        Object message = rule.messageExpression.eval(variables);
        if (message instanceof String text && !text.isBlank()) {
          return text;
        }
      } catch (CelEvaluationException e) {
        // The server falls back to the static message when the expression fails.
      }
    }
    return rule.message.isEmpty() ? "failed rule: " + rule.source : rule.message;
  }

  /** JSON values as CEL sees them. */
  static final class CelValues {
    private CelValues() {}

    static Object of(JsonNode value) {
      if (value.isObject()) {
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> map.put(e.getKey(), of(e.getValue())));
        return map;
      }
      if (value.isArray()) {
        List<Object> list = new ArrayList<>();
        value.forEach(item -> list.add(of(item)));
        return list;
      }
      if (value.isIntegralNumber()) {
        return value.longValue();
      }
      if (value.isNumber()) {
        return value.doubleValue();
      }
      if (value.isBoolean()) {
        return value.booleanValue();
      }
      if (value.isNull()) {
        return NullValue.NULL_VALUE;
      }
      return value.asText();
    }
  }
}
