package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a {@link RatingModel}'s WebAssembly module comes from. Exactly one source is set; an https
 * URL must be pinned by its SHA-256 so what runs is what was reviewed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"inline", "configMapKeyRef", "url", "sha256"})
@ValidationRule(
    value =
        "(has(self.inline) ? 1 : 0) + (has(self.configMapKeyRef) ? 1 : 0)"
            + " + (has(self.url) ? 1 : 0) == 1",
    message = "exactly one of inline, configMapKeyRef or url must be set")
@ValidationRule(
    value = "!has(self.url) || has(self.sha256)",
    message = "sha256 is required with url")
public class ModuleSource {

  /** Largest accepted {@link #getInline() inline} value: base64 of about 730 KiB of Wasm. */
  public static final int MAX_INLINE_LENGTH = 1_000_000;

  @Size(min = 1, max = MAX_INLINE_LENGTH)
  @JsonPropertyDescription(
      "The module's .wasm bytes, base64-encoded (standard alphabet, padded). For modules larger"
          + " than a few hundred KiB use configMapKeyRef or url.")
  private String inline;

  @JsonPropertyDescription(
      "A key of a ConfigMap in this RatingModel's namespace holding the module: binaryData, or"
          + " base64 text in data.")
  private ConfigMapKeyRef configMapKeyRef;

  @Size(max = 2048)
  @Pattern("^https://[^\\s]+$")
  @JsonPropertyDescription(
      "An https URL the operator downloads the module from. Requires sha256; the download is"
          + " rejected unless it matches.")
  private String url;

  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription(
      "Expected SHA-256 of the module bytes, 64 lowercase hex digits. Required with url; optional"
          + " with the other sources, and checked against the bytes when given.")
  private String sha256;

  public String getInline() {
    return inline;
  }

  public void setInline(String inline) {
    this.inline = inline;
  }

  public ConfigMapKeyRef getConfigMapKeyRef() {
    return configMapKeyRef;
  }

  public void setConfigMapKeyRef(ConfigMapKeyRef configMapKeyRef) {
    this.configMapKeyRef = configMapKeyRef;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }
}
