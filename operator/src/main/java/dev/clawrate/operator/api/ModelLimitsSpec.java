package dev.clawrate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.clawrate.contract.engine.ModelLimits;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Resource limits of a {@link RatingModel}. The bounds and defaults are those of the rating
 * engine's {@link ModelLimits} ({@code MAX_MEMORY_PAGES}, {@code MAX_TIMEOUT_MILLIS}, {@code
 * MAX_INPUT_BYTES}, {@code DEFAULT_*}); annotation values must be literals, so they are repeated
 * here and {@code ModelLimitsSpecTest} fails if the two drift apart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"maxMemoryPages", "timeoutMillis", "maxInputBytes"})
public class ModelLimitsSpec {

  @Min(1)
  @Max(4096)
  @Default("256")
  @JsonPropertyDescription(
      "Largest linear memory the module may use, in 64 KiB pages (256 = 16 MiB, 4096 = 256 MiB).")
  private Integer maxMemoryPages;

  @Min(1)
  @Max(10000)
  @Default("50")
  @JsonPropertyDescription(
      "Wall-clock budget for one rating call, in milliseconds; a call over it answers 504.")
  private Integer timeoutMillis;

  @Min(1)
  @Max(4194304)
  @Default("65536")
  @JsonPropertyDescription(
      "Largest request body, in bytes after decompression, the model is given; larger answers"
          + " 413.")
  private Integer maxInputBytes;

  public ModelLimitsSpec() {}

  public ModelLimitsSpec(Integer maxMemoryPages, Integer timeoutMillis, Integer maxInputBytes) {
    this.maxMemoryPages = maxMemoryPages;
    this.timeoutMillis = timeoutMillis;
    this.maxInputBytes = maxInputBytes;
  }

  public Integer getMaxMemoryPages() {
    return maxMemoryPages;
  }

  public void setMaxMemoryPages(Integer maxMemoryPages) {
    this.maxMemoryPages = maxMemoryPages;
  }

  public Integer getTimeoutMillis() {
    return timeoutMillis;
  }

  public void setTimeoutMillis(Integer timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  public Integer getMaxInputBytes() {
    return maxInputBytes;
  }

  public void setMaxInputBytes(Integer maxInputBytes) {
    this.maxInputBytes = maxInputBytes;
  }

  /**
   * These limits as the engine's type, with engine defaults for unset fields (objects that did not
   * pass through API-server defaulting).
   *
   * @throws IllegalArgumentException when a value is out of the engine's bounds
   */
  public static ModelLimits toModelLimits(ModelLimitsSpec spec) {
    if (spec == null) {
      return ModelLimits.DEFAULTS;
    }
    return new ModelLimits(
        orDefault(spec.maxMemoryPages, ModelLimits.DEFAULT_MAX_MEMORY_PAGES),
        orDefault(spec.timeoutMillis, ModelLimits.DEFAULT_TIMEOUT_MILLIS),
        orDefault(spec.maxInputBytes, ModelLimits.DEFAULT_MAX_INPUT_BYTES));
  }

  /** The engine's limits as a spec, every field set (for recording in status). */
  public static ModelLimitsSpec from(ModelLimits limits) {
    return new ModelLimitsSpec(
        limits.maxMemoryPages(), limits.timeoutMillis(), limits.maxInputBytes());
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
