package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** One version of the governed target, as a track serves it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"config", "digest", "entry"})
public class CanaryVersionStatus {

  @JsonPropertyDescription(
      "Identity of the target's published config (the first 16 hex of its SHA-256).")
  private String config;

  @JsonPropertyDescription("Digest of the module that rates with it.")
  private String digest;

  @PreserveUnknownFields
  @JsonPropertyDescription(
      "The snapshot entry itself, so the track keeps serving it whatever the spec says" + " now.")
  private JsonNode entry;

  public String getConfig() {
    return config;
  }

  public void setConfig(String config) {
    this.config = config;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public JsonNode getEntry() {
    return entry;
  }

  public void setEntry(JsonNode entry) {
    this.entry = entry;
  }
}
