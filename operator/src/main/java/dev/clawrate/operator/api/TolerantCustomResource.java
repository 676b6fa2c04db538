package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A custom resource whose spec or status, whatever they hold, never makes reading it fail.
 *
 * <p>fabric8 reads every object an informer lists or watches with one ObjectMapper that fails on an
 * unknown field or a wrong type, and such a failure stops the informer: one object with a field
 * from a newer CRD, or anything at all on an API server that does not validate, would stop the
 * operator. Here Jackson hands the spec and the status over as JSON trees and {@link PartReader}
 * reads each strictly. A part that cannot be read is null, {@link #specProblem()} or {@link
 * #statusProblem()} says why, and its JSON is kept and written back unchanged: a clone (the
 * operator SDK clones with a serialize and deserialize round trip) keeps the problem, and a write
 * never loses what the user wrote.
 *
 * <p>It lives on the type rather than in a customised KubernetesSerialization because annotations
 * travel with the class: every reader gets it (the informers of the operator SDK and of WorldCache,
 * the static Serialization, any client a test or a tool builds) without each being configured.
 *
 * <p>The generated CRD must not change, and the CRD generator derives it from Jackson's view of
 * this class, so Jackson reads {@code spec} and {@code status} through private methods taking JSON
 * (the public setters are hidden from it) and writes them through private getters declared with the
 * part's type, which is what the generator sees. A custom serializer would make the generator see
 * no schema at all, and an any-getter holding {@code spec} makes fabric8 log the held JSON (user
 * input) each time the resource is written.
 */
public abstract class TolerantCustomResource<S, T> extends CustomResource<S, T> {

  private static final long serialVersionUID = 1L;
  private static final String SPEC = "spec";
  private static final String STATUS = "status";

  private final Class<S> specType;
  private final Class<T> statusType;
  private JsonNode unreadableSpec;
  private String specProblem;
  private JsonNode unreadableStatus;
  private String statusProblem;

  /**
   * Top-level fields other than ours, kept and written back. The API server prunes them from a
   * CRD's objects, so they can only come from a server that does not, and mean nothing. Not part of
   * the CRD: a schema of {@code void} makes the generator leave this any-getter out.
   */
  @JsonAnyGetter
  @JsonAnySetter
  @SchemaFrom(type = void.class)
  private final Map<String, JsonNode> otherFields = new LinkedHashMap<>();

  protected TolerantCustomResource(Class<S> specType, Class<T> statusType) {
    this.specType = specType;
    this.statusType = statusType;
  }

  /**
   * Why the spec could not be read as this operator's types: a short description naming the JSON
   * path and what was expected there, never the value; null when it was read (or there is none).
   * While non-null, {@link #getSpec()} is null.
   */
  public String specProblem() {
    return specProblem;
  }

  /**
   * Why the status could not be read, as {@link #specProblem()}; null when it was read. While
   * non-null, {@link #getStatus()} is null: the operator treats the status as empty and rewrites
   * it.
   */
  /**
   * A text field of the spec as it was written, when the spec as a whole could not be read, or
   * null; for fields that identify the resource (a tenant id), never to act on the spec.
   */
  protected String unreadableSpecText(String field) {
    JsonNode value = unreadableSpec == null ? null : unreadableSpec.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  public String statusProblem() {
    return statusProblem;
  }

  @Override
  @JsonIgnore
  public S getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonIgnore
  public void setSpec(S spec) {
    super.setSpec(spec);
    unreadableSpec = null;
    specProblem = null;
  }

  @Override
  @JsonIgnore
  public T getStatus() {
    return super.getStatus();
  }

  @Override
  @JsonIgnore
  public void setStatus(T status) {
    super.setStatus(status);
    unreadableStatus = null;
    statusProblem = null;
  }

  @JsonSetter(SPEC)
  private void readSpec(JsonNode json) {
    ReadPart<S> part = PartReader.read(json, specType, SPEC);
    setSpec(part.value());
    unreadableSpec = part.json();
    specProblem = part.problem();
  }

  @JsonSetter(STATUS)
  private void readStatus(JsonNode json) {
    ReadPart<T> part = PartReader.read(json, statusType, STATUS);
    setStatus(part.value());
    unreadableStatus = part.json();
    statusProblem = part.problem();
  }

  /**
   * The spec, or the JSON that could not be read as one. Declared {@code S} for the CRD generator;
   * Jackson (without {@code USE_STATIC_TYPING}, which neither fabric8 nor the operator SDK set)
   * picks the serializer of a non-final type by the value's class, so kept JSON is written as JSON.
   */
  @JsonGetter(SPEC)
  private S specAsWritten() {
    return unreadableSpec == null ? getSpec() : disguised(unreadableSpec);
  }

  @JsonGetter(STATUS)
  private T statusAsWritten() {
    return unreadableStatus == null ? getStatus() : disguised(unreadableStatus);
  }

  /** Only for the two getters above, whose results only Jackson sees. */
  @SuppressWarnings("unchecked")
  private static <P> P disguised(JsonNode json) {
    return (P) json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TolerantCustomResource<?, ?> other
        && super.equals(other)
        && Objects.equals(unreadableSpec, other.unreadableSpec)
        && Objects.equals(unreadableStatus, other.unreadableStatus)
        && otherFields.equals(other.otherFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), unreadableSpec, unreadableStatus, otherFields);
  }
}
