package dev.clawrate.local.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API server's say on each object about to be stored: custom resources of the given CRDs are
 * pruned, defaulted and validated ({@link CustomResourceValidator}); anything else is stored as
 * sent. Unknown fields are dropped silently, warned about or refused as the request's {@code
 * fieldValidation} asks (Ignore, Warn, Strict), as on a real server.
 */
public final class Admission {

  private final Map<String, CustomResourceValidator> validators = new HashMap<>();
  // The path prefixes of the validated group versions: other writes are not even parsed.
  private final Set<String> paths = new HashSet<>();

  /** Compiles every CRD's rules; one that does not compile fails here. */
  public Admission(List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      for (CustomResourceValidator validator : CustomResourceValidator.of(crd)) {
        validators.put(validator.apiVersion() + "/" + validator.kind(), validator);
        paths.add("/apis/" + validator.apiVersion() + "/");
      }
    }
  }

  /** An object refused, with the Status to answer. */
  public static final class Rejected extends RuntimeException {
    private final int code;
    private final transient JsonNode status;

    Rejected(JsonNode status) {
      super(status.path("message").asText(), null, false, false);
      this.code = status.path("code").asInt();
      this.status = status;
    }

    public int code() {
      return code;
    }

    public String statusBody() {
      return Serialization.asJson(status);
    }
  }

  /**
   * @param stored what is to be stored, as JSON
   * @param warnings what to tell the client, as {@code Warning} headers
   */
  public record Admitted(String stored, List<String> warnings) {}

  /**
   * @param path the request's path
   * @param newState the object about to be stored, as JSON
   * @param oldState the object it replaces, or null
   * @param fieldValidation the request's fieldValidation parameter, or null
   * @throws Rejected when the object may not be stored
   */
  public Admitted admit(String path, String newState, String oldState, String fieldValidation) {
    if (paths.stream().noneMatch(path::startsWith)) {
      return new Admitted(newState, List.of());
    }
    JsonNode object = Serialization.unmarshal(newState, JsonNode.class);
    CustomResourceValidator validator =
        validators.get(object.path("apiVersion").asText() + "/" + object.path("kind").asText());
    if (validator == null) {
      return new Admitted(newState, List.of());
    }
    JsonNode old = oldState == null ? null : Serialization.unmarshal(oldState, JsonNode.class);
    CustomResourceValidator.Outcome outcome = validator.admit(object, old);
    if (!outcome.errors().isEmpty()) {
      throw new Rejected(
          InvalidStatus.invalid(
              validator.kind(),
              validator.group(),
              object.path("metadata").path("name").asText(),
              outcome.errors()));
    }
    if (!outcome.unknownFields().isEmpty() && "Strict".equals(fieldValidation)) {
      throw new Rejected(
          InvalidStatus.unknownFields(
              validator.kind(), validator.version(), outcome.unknownFields()));
    }
    List<String> warnings =
        "Warn".equals(fieldValidation)
            ? outcome.unknownFields().stream()
                .map(field -> "unknown field " + GoFormat.quoted(field))
                .toList()
            : List.of();
    return new Admitted(Serialization.asJson(outcome.object()), warnings);
  }

  /** A warning as the value of an HTTP {@code Warning} header, its text quoted (RFC 9111). */
  public static String warningHeader(String warning) {
    return "299 - " + GoFormat.quoted(warning);
  }
}
