package dev.clawrate.operator.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A JSON tree as a Lua table constructor, as Argo CD hands a resource to a health script: objects
 * become tables keyed by string, arrays sequences from 1, null nothing at all.
 */
final class LuaLiteral {

  private LuaLiteral() {}

  static String of(JsonNode node) {
    StringBuilder out = new StringBuilder();
    append(node, out);
    return out.toString();
  }

  private static void append(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("nil");
    } else if (node.isObject()) {
      out.append('{');
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getValue().isNull()) {
          continue;
        }
        out.append('[');
        string(field.getKey(), out);
        out.append("]=");
        append(field.getValue(), out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('{');
      for (JsonNode item : node) {
        append(item, out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isBoolean()) {
      out.append(node.asBoolean());
    } else if (node.isIntegralNumber()) {
      out.append(node.asText());
    } else if (node.isNumber()) {
      // Lua reads a double in this form back exactly; Java's own form has no exponent problems.
      out.append(Double.toString(node.asDouble()));
    } else {
      string(node.asText(), out);
    }
  }

  /** A quoted Lua string: bytes outside printable ASCII and the quote characters as escapes. */
  private static void string(String text, StringBuilder out) {
    out.append('"');
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append(String.format("\\%03d", c));
      }
    }
    out.append('"');
  }
}
