package dev.clawrate.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clawrate.contract.engine.ModelLimits;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRD's limit bounds and defaults repeat the rating engine's {@link ModelLimits} constants
 * (annotation values must be literals); this fails when the two drift apart, in the Java
 * annotations or in the generated YAML.
 */
class ModelLimitsSpecTest {

  @Test
  void engineConstantsAreWhatTheCrdDocuments() {
    assertEquals(4096, ModelLimits.MAX_MEMORY_PAGES);
    assertEquals(10_000, ModelLimits.MAX_TIMEOUT_MILLIS);
    assertEquals(4 * 1024 * 1024, ModelLimits.MAX_INPUT_BYTES);
    assertEquals(256, ModelLimits.DEFAULT_MAX_MEMORY_PAGES);
    assertEquals(50, ModelLimits.DEFAULT_TIMEOUT_MILLIS);
    assertEquals(65_536, ModelLimits.DEFAULT_MAX_INPUT_BYTES);
  }

  @Test
  void annotationsMatchTheEngine() throws NoSuchFieldException {
    assertField(
        "maxMemoryPages", ModelLimits.MAX_MEMORY_PAGES, ModelLimits.DEFAULT_MAX_MEMORY_PAGES);
    assertField(
        "timeoutMillis", ModelLimits.MAX_TIMEOUT_MILLIS, ModelLimits.DEFAULT_TIMEOUT_MILLIS);
    assertField("maxInputBytes", ModelLimits.MAX_INPUT_BYTES, ModelLimits.DEFAULT_MAX_INPUT_BYTES);
  }

  @Test
  void generatedCrdMatchesTheEngine() {
    Map<String, JSONSchemaProps> limits =
        Crds.ratingModels()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec")
            .getProperties()
            .get("limits")
            .getProperties();
    assertSchema(
        limits.get("maxMemoryPages"),
        ModelLimits.MAX_MEMORY_PAGES,
        ModelLimits.DEFAULT_MAX_MEMORY_PAGES);
    assertSchema(
        limits.get("timeoutMillis"),
        ModelLimits.MAX_TIMEOUT_MILLIS,
        ModelLimits.DEFAULT_TIMEOUT_MILLIS);
    assertSchema(
        limits.get("maxInputBytes"),
        ModelLimits.MAX_INPUT_BYTES,
        ModelLimits.DEFAULT_MAX_INPUT_BYTES);
  }

  @Test
  void toModelLimitsFillsEngineDefaults() {
    assertEquals(ModelLimits.DEFAULTS, ModelLimitsSpec.toModelLimits(null));
    assertEquals(ModelLimits.DEFAULTS, ModelLimitsSpec.toModelLimits(new ModelLimitsSpec()));
    assertEquals(
        new ModelLimits(512, ModelLimits.DEFAULT_TIMEOUT_MILLIS, 1024),
        ModelLimitsSpec.toModelLimits(new ModelLimitsSpec(512, null, 1024)));
  }

  @Test
  void toModelLimitsRejectsWhatTheSchemaRejects() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelLimitsSpec.toModelLimits(new ModelLimitsSpec(4097, null, null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelLimitsSpec.toModelLimits(new ModelLimitsSpec(null, 0, null)));
  }

  @Test
  void fromRoundTrips() {
    ModelLimits limits = new ModelLimits(64, 20, 2048);
    assertEquals(limits, ModelLimitsSpec.toModelLimits(ModelLimitsSpec.from(limits)));
  }

  private static void assertField(String name, int max, int dflt) throws NoSuchFieldException {
    Field field = ModelLimitsSpec.class.getDeclaredField(name);
    assertEquals(1, field.getAnnotation(Min.class).value(), name + " @Min");
    assertEquals(max, field.getAnnotation(Max.class).value(), name + " @Max");
    assertEquals(String.valueOf(dflt), field.getAnnotation(Default.class).value(), name);
  }

  private static void assertSchema(JSONSchemaProps field, int max, int dflt) {
    assertEquals(1, field.getMinimum().intValue());
    assertEquals(max, field.getMaximum().intValue());
    assertEquals(dflt, field.getDefault().asInt());
  }
}
