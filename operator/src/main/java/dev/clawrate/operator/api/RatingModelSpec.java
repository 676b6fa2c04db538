package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.clawrate.contract.engine.WasmAbi;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Desired state of a {@link RatingModel}: where its module comes from and how it is called. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"module", "entrypoint", "limits", "description"})
public class RatingModelSpec {

  /** The default entry point of the rating ABI. */
  public static final String DEFAULT_ENTRYPOINT = WasmAbi.DEFAULT_ENTRYPOINT;

  @Required
  @JsonPropertyDescription(
      "Where the WebAssembly module comes from: exactly one of inline, configMapKeyRef or url.")
  private ModuleSource module;

  @Default(DEFAULT_ENTRYPOINT)
  @Pattern("^[A-Za-z_][A-Za-z0-9_.$-]{0,127}$")
  @JsonPropertyDescription(
      "Name of the exported function that rates: (ptr: i32, len: i32) -> i64 per the clawrate"
          + " rating ABI v1. One module may hold several models under different exports.")
  private String entrypoint;

  @Default("{}")
  @JsonPropertyDescription(
      "Resource limits every call of this model runs under, whatever the module declares.")
  private ModelLimitsSpec limits;

  @Size(max = 4096)
  @JsonPropertyDescription("Free-text description of the model, for humans.")
  private String description;

  public ModuleSource getModule() {
    return module;
  }

  public void setModule(ModuleSource module) {
    this.module = module;
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

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  /**
   * The entry point with the API server's default applied, for objects that never went through
   * defaulting (the mock API server, objects built in code).
   */
  public String effectiveEntrypoint() {
    return entrypoint == null || entrypoint.isEmpty() ? DEFAULT_ENTRYPOINT : entrypoint;
  }
}
