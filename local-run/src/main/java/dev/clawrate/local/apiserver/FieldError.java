package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One invalid field, worded as the Kubernetes API server words it: {@code <field>: <type>[:
 * <value>][: <detail>]}. The value is left out for the types the API server leaves it out for.
 *
 * @param type what is wrong
 * @param field the field's path, e.g. {@code spec.limits.maxMemoryPages}
 * @param value the offending value, or null when the type does not show one
 * @param detail the explanation, or empty
 */
public record FieldError(Type type, String field, JsonNode value, String detail) {

  /** The API server's error types, with their words and their Status cause reasons. */
  public enum Type {
    REQUIRED("Required value", "FieldValueRequired", false),
    INVALID("Invalid value", "FieldValueInvalid", true),
    TYPE_INVALID("Invalid value", "FieldValueTypeInvalid", true),
    NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported", true),
    DUPLICATE("Duplicate value", "FieldValueDuplicate", true),
    FORBIDDEN("Forbidden", "FieldValueForbidden", false),
    TOO_LONG("Too long", "FieldValueTooLong", false),
    TOO_MANY("Too many", "FieldValueTooMany", true);

    private final String words;
    private final String reason;
    private final boolean showsValue;

    Type(String words, String reason, boolean showsValue) {
      this.words = words;
      this.reason = reason;
      this.showsValue = showsValue;
    }

    public String reason() {
      return reason;
    }

    /** The type a CEL rule's {@code reason} names; Invalid for anything else, as the server. */
    static Type ofRuleReason(String reason) {
      if (reason == null) {
        return INVALID;
      }
      for (Type type : values()) {
        if (type.reason.equals(reason)) {
          return type;
        }
      }
      return INVALID;
    }
  }

  /** The message of this error's Status cause: everything after the field. */
  public String body() {
    StringBuilder body = new StringBuilder(type.words);
    if (type.showsValue) {
      body.append(": ").append(GoFormat.value(value));
    }
    if (!detail.isEmpty()) {
      body.append(": ").append(detail);
    }
    return body.toString();
  }

  /** The whole error, as it appears in the Status message. */
  public String message() {
    return field + ": " + body();
  }
}
