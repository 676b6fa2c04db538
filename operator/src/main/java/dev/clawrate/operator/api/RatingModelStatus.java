package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of a {@link RatingModel}, written only by the operator: the module that validated
 * last and is published (with the entry point and limits it validated with, so an edit that fails
 * validation changes nothing raters see), and how far each region got.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "observedGeneration",
  "digest",
  "entrypoint",
  "limits",
  "sizeBytes",
  "exports",
  "interpretedFunctions",
  "message",
  "conditions",
  "regions",
  "regionsSynced",
  "raters"
})
public class RatingModelStatus extends ServedStatus {

  @JsonPropertyDescription(
      "Digest (sha256:<hex>) of the module currently published: the last one that validated. A"
          + " newer module that fails validation leaves this unchanged.")
  private String digest;

  @JsonPropertyDescription(
      "Entry point the published module was validated with; raters call this export.")
  private String entrypoint;

  @JsonPropertyDescription(
      "Limits the published module was validated with; raters enforce these, so a spec edit"
          + " that fails validation does not change them.")
  private ModelLimitsSpec limits;

  @JsonPropertyDescription("Size of the published module, in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Functions the published module exports.")
  private List<String> exports = new ArrayList<>();

  @JsonPropertyDescription(
      "Functions of the published module too large for the JVM's compiler (64 KB of bytecode a"
          + " method): raters run them in the interpreter, many times slower. Calls that reach"
          + " them may need a longer time limit; condition Validated then has reason"
          + " InterpretedFunctions.")
  private Integer interpretedFunctions;

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getEntrypoint() {
    return entrypoint;
  }

  public void setEntrypoint(String entrypoint) {
    this.entrypoint = entrypoint;
  }

  public ModelLimitsSpec getLimits() {
    return limits;
  }

  public void setLimits(ModelLimitsSpec limits) {
    this.limits = limits;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public Integer getInterpretedFunctions() {
    return interpretedFunctions;
  }

  public void setInterpretedFunctions(Integer interpretedFunctions) {
    this.interpretedFunctions = interpretedFunctions;
  }

  public List<String> getExports() {
    return exports;
  }

  public void setExports(List<String> exports) {
    this.exports = exports;
  }
}
