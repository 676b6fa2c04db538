package dev.clawrate.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins what the generated CRDs in {@code crds/} must say: the validations, defaults and printer
 * columns are the API's contract with {@code kubectl} and the API server, not decoration.
 */
class CrdSchemaTest {

  private static final String READY_PATH = ".status.conditions[?(@.type==\"Ready\")].status";

  @Test
  void crdsDirectoryHoldsExactlyTheV1CrdsOfThisPackage() throws IOException {
    try (Stream<Path> files = Files.list(Crds.dir())) {
      List<String> yaml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
              .sorted()
              .toList();
      assertEquals(List.of(Crds.CANARY_RELEASES, Crds.RATING_MODELS, Crds.TENANT_CONFIGS), yaml);
    }
  }

  @Test
  void ratingModelIdentity() {
    CustomResourceDefinition crd = Crds.ratingModels();
    assertEquals("ratingmodels.clawrate.dev", crd.getMetadata().getName());
    assertEquals(ClawrateApi.GROUP, crd.getSpec().getGroup());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals("RatingModel", crd.getSpec().getNames().getKind());
    assertEquals("ratingmodels", crd.getSpec().getNames().getPlural());
    assertEquals(List.of("rmodel"), crd.getSpec().getNames().getShortNames());
    CustomResourceDefinitionVersion version = onlyVersion(crd);
    assertEquals(ClawrateApi.VERSION, version.getName());
    assertTrue(version.getServed());
    assertTrue(version.getStorage());
    assertNotNull(version.getSubresources().getStatus(), "status subresource");
  }

  @Test
  void ratingModelPrinterColumns() {
    Map<String, CustomResourceColumnDefinition> columns = columns(Crds.ratingModels());
    assertEquals(List.of("Age", "Digest", "Raters", "Ready", "Regions"), sorted(columns.keySet()));
    assertEquals(".status.raters", columns.get("Raters").getJsonPath());
    assertEquals(".status.digest", columns.get("Digest").getJsonPath());
    assertEquals(READY_PATH, columns.get("Ready").getJsonPath());
    assertEquals(".status.regionsSynced", columns.get("Regions").getJsonPath());
    assertEquals(".metadata.creationTimestamp", columns.get("Age").getJsonPath());
    assertEquals("date", columns.get("Age").getType());
  }

  @Test
  void moduleSourceValidations() {
    JSONSchemaProps spec = spec(Crds.ratingModels());
    assertEquals(List.of("module"), spec.getRequired());
    JSONSchemaProps module = spec.getProperties().get("module");
    Map<String, String> rules =
        module.getXKubernetesValidations().stream()
            .collect(Collectors.toMap(ValidationRule::getRule, ValidationRule::getMessage));
    assertEquals(
        "exactly one of inline, configMapKeyRef or url must be set",
        rules.get(
            "(has(self.inline) ? 1 : 0) + (has(self.configMapKeyRef) ? 1 : 0)"
                + " + (has(self.url) ? 1 : 0) == 1"));
    assertEquals("sha256 is required with url", rules.get("!has(self.url) || has(self.sha256)"));

    Map<String, JSONSchemaProps> props = module.getProperties();
    assertEquals("^[0-9a-f]{64}$", props.get("sha256").getPattern());
    assertTrue(props.get("url").getPattern().startsWith("^https://"));
    assertEquals(1_000_000L, props.get("inline").getMaxLength());
    assertEquals(List.of("key", "name"), sorted(props.get("configMapKeyRef").getRequired()));
  }

  @Test
  void entrypointAndLimitsHaveDefaultsAndBounds() {
    JSONSchemaProps spec = spec(Crds.ratingModels());
    JSONSchemaProps entrypoint = spec.getProperties().get("entrypoint");
    assertEquals("rate", entrypoint.getDefault().asText());
    assertEquals("^[A-Za-z_][A-Za-z0-9_.$-]{0,127}$", entrypoint.getPattern());

    JSONSchemaProps limits = spec.getProperties().get("limits");
    // An empty default object makes the API server fill in the per-field defaults when the
    // user leaves out `limits` altogether.
    assertTrue(limits.getDefault().isObject() && limits.getDefault().isEmpty());
    assertBounds(limits.getProperties().get("maxMemoryPages"), 1, 4096, 256);
    assertBounds(limits.getProperties().get("timeoutMillis"), 1, 10_000, 50);
    assertBounds(limits.getProperties().get("maxInputBytes"), 1, 4_194_304, 65_536);
  }

  @Test
  void ratingModelStatusShape() {
    JSONSchemaProps status = status(Crds.ratingModels());
    for (String field :
        List.of(
            "observedGeneration",
            "digest",
            "sizeBytes",
            "exports",
            "interpretedFunctions",
            "message",
            "conditions",
            "regions",
            "regionsSynced",
            "raters")) {
      assertNotNull(status.getProperties().get(field), field);
    }
    JSONSchemaProps region = status.getProperties().get("regions").getItems().getSchema();
    assertEquals(
        List.of(
            "digest",
            "lastSyncTime",
            "message",
            "name",
            "ratersServing",
            "ratersTotal",
            "revision",
            "state",
            "synced"),
        sorted(region.getProperties().keySet()));
    assertEquals("integer", region.getProperties().get("ratersTotal").getType());
    assertEquals("boolean", region.getProperties().get("synced").getType());
  }

  @Test
  void tenantConfigIdentityAndColumns() {
    CustomResourceDefinition crd = Crds.tenantConfigs();
    assertEquals("tenantconfigs.clawrate.dev", crd.getMetadata().getName());
    assertEquals(ClawrateApi.GROUP, crd.getSpec().getGroup());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals(List.of("tenant", "tc"), crd.getSpec().getNames().getShortNames());
    CustomResourceDefinitionVersion version = onlyVersion(crd);
    assertEquals(ClawrateApi.VERSION, version.getName());
    assertNotNull(version.getSubresources().getStatus(), "status subresource");

    Map<String, CustomResourceColumnDefinition> columns = columns(crd);
    assertEquals(
        List.of("Age", "Alerts", "Digest", "Model", "Raters", "Ready", "Regions"),
        sorted(columns.keySet()));
    assertEquals(".status.alertSummary", columns.get("Alerts").getJsonPath());
    assertEquals(".status.raters", columns.get("Raters").getJsonPath());
    assertEquals(".spec.modelRef.name", columns.get("Model").getJsonPath());
    assertEquals(".status.digest", columns.get("Digest").getJsonPath());
    assertEquals(READY_PATH, columns.get("Ready").getJsonPath());
    assertEquals(".status.regionsSynced", columns.get("Regions").getJsonPath());
    assertEquals("date", columns.get("Age").getType());
  }

  @Test
  void tenantConfigSpecValidations() {
    JSONSchemaProps spec = spec(Crds.tenantConfigs());
    assertEquals(List.of("modelRef", "threshold"), sorted(spec.getRequired()));
    Map<String, JSONSchemaProps> props = spec.getProperties();

    JSONSchemaProps threshold = props.get("threshold");
    assertEquals("number", threshold.getType());
    assertEquals(-1e9, threshold.getMinimum());
    assertEquals(1e9, threshold.getMaximum());

    assertEquals("^[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?$", props.get("tenantId").getPattern());
    assertEquals(List.of("name"), props.get("modelRef").getRequired());

    JSONSchemaProps parameters = props.get("parameters");
    assertEquals("object", parameters.getType());
    assertTrue(parameters.getXKubernetesPreserveUnknownFields());

    JSONSchemaProps auth = props.get("auth");
    assertEquals(List.of("apiKeySha256"), auth.getRequired());
    JSONSchemaProps keys = auth.getProperties().get("apiKeySha256");
    assertEquals(1L, keys.getMinItems());
    assertEquals(10L, keys.getMaxItems());
    assertEquals("^[0-9a-f]{64}$", keys.getItems().getSchema().getPattern());
  }

  @Test
  void tenantConfigStatusShape() {
    JSONSchemaProps status = status(Crds.tenantConfigs());
    assertEquals(
        List.of(
            "alertSummary",
            "alerts",
            "conditions",
            "digest",
            "message",
            "model",
            "observedGeneration",
            "raters",
            "receivers",
            "regions",
            "regionsSynced",
            "slo"),
        sorted(status.getProperties().keySet()));
  }

  @Test
  void tenantConfigReceiversAreOneKindEachAndUniquelyNamed() {
    JSONSchemaProps alerting = spec(Crds.tenantConfigs()).getProperties().get("alerting");
    JSONSchemaProps receivers = alerting.getProperties().get("receivers");
    assertEquals(8L, receivers.getMaxItems());
    assertEquals(
        List.of("self.all(r, self.exists_one(s, s.name == r.name))"),
        receivers.getXKubernetesValidations().stream().map(v -> v.getRule()).toList());
    JSONSchemaProps receiver = receivers.getItems().getSchema();
    assertEquals(List.of("name"), receiver.getRequired());
    assertEquals(
        List.of(
            "(has(self.slack) ? 1 : 0) + (has(self.pagerduty) ? 1 : 0) + (has(self.webhook) ? 1 :"
                + " 0) == 1"),
        receiver.getXKubernetesValidations().stream().map(v -> v.getRule()).toList());
    JSONSchemaProps slo = spec(Crds.tenantConfigs()).getProperties().get("slo");
    assertEquals(
        ClawrateApi.DURATION,
        slo.getProperties().get("page").getProperties().get("longWindow").getPattern());
    assertEquals(
        99.9999,
        slo.getProperties()
            .get("availability")
            .getProperties()
            .get("objectivePercent")
            .getMaximum());
  }

  @Test
  void everySchemaPropertyHasADescription() {
    for (CustomResourceDefinition crd :
        List.of(Crds.ratingModels(), Crds.tenantConfigs(), Crds.canaryReleases())) {
      assertDescribed(crd.getMetadata().getName() + ".spec", spec(crd));
      assertDescribed(crd.getMetadata().getName() + ".status", status(crd));
    }
  }

  @Test
  void canaryReleaseIdentityAndColumns() {
    CustomResourceDefinition crd = Crds.canaryReleases();
    assertEquals("canaryreleases.clawrate.dev", crd.getMetadata().getName());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals(List.of("canary"), crd.getSpec().getNames().getShortNames());
    CustomResourceDefinitionVersion version = onlyVersion(crd);
    assertNotNull(version.getSubresources().getStatus(), "status subresource");
    Map<String, CustomResourceColumnDefinition> columns = columns(crd);
    assertEquals(List.of("Age", "Canary", "Phase", "Stable", "Weight"), sorted(columns.keySet()));
    assertEquals(".status.phase", columns.get("Phase").getJsonPath());
    assertEquals(".status.weight", columns.get("Weight").getJsonPath());
    assertEquals(".status.stable.digest", columns.get("Stable").getJsonPath());
    assertEquals(".status.canary.digest", columns.get("Canary").getJsonPath());
  }

  @Test
  void canaryReleaseSpecValidations() {
    JSONSchemaProps spec = spec(Crds.canaryReleases());
    assertEquals(List.of("steps", "targetRef", "traffic"), sorted(spec.getRequired()));
    Map<String, JSONSchemaProps> props = spec.getProperties();
    JSONSchemaProps target = props.get("targetRef");
    assertEquals(List.of("kind", "name"), sorted(target.getRequired()));
    assertEquals(
        "self in ['RatingModel', 'TenantConfig']",
        target.getProperties().get("kind").getXKubernetesValidations().get(0).getRule());
    assertEquals(
        List.of("canaryService", "route", "stableService"),
        sorted(props.get("traffic").getRequired()));
    JSONSchemaProps steps = props.get("steps");
    assertEquals(1L, steps.getMinItems());
    assertEquals(32L, steps.getMaxItems());
    JSONSchemaProps weight = steps.getItems().getSchema().getProperties().get("weight");
    assertEquals(0.001, weight.getMinimum());
    assertEquals(100.0, weight.getMaximum());
    assertEquals(
        ClawrateApi.DURATION,
        steps.getItems().getSchema().getProperties().get("pause").getPattern());
    JSONSchemaProps analysis = props.get("analysis");
    assertEquals(ClawrateApi.DURATION, analysis.getProperties().get("interval").getPattern());
    assertEquals(100.0, analysis.getProperties().get("maxErrorRatePercent").getMaximum());
    JSONSchemaProps regions = props.get("regions");
    assertEquals(2, regions.getXKubernetesValidations().size(), "DNS labels, no repeats");
    assertEquals("boolean", props.get("paused").getType());
  }

  private static void assertDescribed(String path, JSONSchemaProps schema) {
    if (schema.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
        String child = path + "." + e.getKey();
        // Condition is fabric8's model type and carries no descriptions of its own.
        if (!path.endsWith(".conditions[]")) {
          String description = e.getValue().getDescription();
          assertTrue(description != null && !description.isBlank(), child + " has no description");
        }
        assertDescribed(child, e.getValue());
      }
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      assertDescribed(path + "[]", schema.getItems().getSchema());
    }
  }

  private static void assertBounds(JSONSchemaProps field, int min, int max, int dflt) {
    assertEquals("integer", field.getType());
    assertEquals(min, field.getMinimum().intValue());
    assertEquals(max, field.getMaximum().intValue());
    assertEquals(dflt, field.getDefault().asInt());
  }

  private static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
    assertEquals(1, crd.getSpec().getVersions().size());
    return crd.getSpec().getVersions().get(0);
  }

  private static Map<String, CustomResourceColumnDefinition> columns(CustomResourceDefinition crd) {
    return onlyVersion(crd).getAdditionalPrinterColumns().stream()
        .collect(Collectors.toMap(CustomResourceColumnDefinition::getName, c -> c));
  }

  private static JSONSchemaProps spec(CustomResourceDefinition crd) {
    return onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static JSONSchemaProps status(CustomResourceDefinition crd) {
    return onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get("status");
  }

  private static List<String> sorted(Collection<String> values) {
    return values.stream().sorted().toList();
  }
}
