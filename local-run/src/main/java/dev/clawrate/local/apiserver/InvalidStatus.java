package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code Status} a Kubernetes API server answers an invalid object with (HTTP 422, reason
 * Invalid, one cause per field error), and the one for unknown fields under strict field validation
 * (HTTP 400). Pure.
 */
public final class InvalidStatus {

  private InvalidStatus() {}

  public static ObjectNode invalid(
      String kind, String group, String name, List<FieldError> errors) {
    String summary =
        errors.size() == 1
            ? errors.get(0).message()
            : errors.stream().map(FieldError::message).collect(Collectors.joining(", ", "[", "]"));
    ObjectNode status =
        status(
            422,
            "Invalid",
            kind + "." + group + " " + GoFormat.quoted(name) + " is invalid: " + summary);
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    details.put("group", group);
    details.put("kind", kind);
    var causes = details.putArray("causes");
    for (FieldError error : errors) {
      causes
          .addObject()
          .put("reason", error.type().reason())
          .put("message", error.body())
          .put("field", error.field());
    }
    return status;
  }

  public static ObjectNode unknownFields(String kind, String version, List<String> fields) {
    String message =
        fields.stream()
            .map(field -> "unknown field " + GoFormat.quoted(field))
            .collect(Collectors.joining(", "));
    return status(
        400,
        "BadRequest",
        kind
            + " in version "
            + GoFormat.quoted(version)
            + " cannot be handled as a "
            + kind
            + ": strict decoding error: "
            + message);
  }

  private static ObjectNode status(int code, String reason, String message) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    return status.put("code", code);
  }
}
