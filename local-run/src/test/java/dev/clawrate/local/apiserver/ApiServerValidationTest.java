package dev.clawrate.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedded API server validates clawrate's custom resources as a real one does: through the
 * fabric8 client, an invalid object is a 422 with the server's Status and wording; a valid one is
 * stored pruned and defaulted.
 */
class ApiServerValidationTest {

  private static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static final String SHA = "a".repeat(64);

  static GenericKubernetesResource model(String name, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: clawrate.dev/v1alpha1
        kind: RatingModel
        metadata:
          name: %s
        spec: %s
        """
            .formatted(name, spec),
        GenericKubernetesResource.class);
  }

  static GenericKubernetesResource tenant(String name, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: clawrate.dev/v1alpha1
        kind: TenantConfig
        metadata:
          name: %s
        spec: %s
        """
            .formatted(name, spec),
        GenericKubernetesResource.class);
  }

  static GenericKubernetesResource canary(String name, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: clawrate.dev/v1alpha1
        kind: CanaryRelease
        metadata:
          name: %s
        spec: %s
        """
            .formatted(name, spec),
        GenericKubernetesResource.class);
  }

  private static GenericKubernetesResource create(GenericKubernetesResource resource) {
    return cluster.client().resource(resource).create();
  }

  private static Status rejected(GenericKubernetesResource resource) {
    KubernetesClientException e =
        assertThrows(KubernetesClientException.class, () -> create(resource));
    assertEquals(422, e.getCode(), e.getMessage());
    return e.getStatus();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            model("mem", "{module: {inline: AA==}, limits: {maxMemoryPages: 100000}}"),
            "RatingModel.clawrate.dev \"mem\" is invalid: spec.limits.maxMemoryPages: Invalid"
                + " value: 100000: spec.limits.maxMemoryPages in body should be less than or"
                + " equal to 4096",
            "spec.limits.maxMemoryPages",
            "FieldValueInvalid"),
        Arguments.of(
            model("input", "{module: {inline: AA==}, limits: {maxInputBytes: 0}}"),
            "RatingModel.clawrate.dev \"input\" is invalid: spec.limits.maxInputBytes: Invalid"
                + " value: 0: spec.limits.maxInputBytes in body should be greater than or equal"
                + " to 1",
            "spec.limits.maxInputBytes",
            "FieldValueInvalid"),
        Arguments.of(
            model("big-input", "{module: {inline: AA==}, limits: {maxInputBytes: 5000000}}"),
            "RatingModel.clawrate.dev \"big-input\" is invalid: spec.limits.maxInputBytes: Invalid"
                + " value: 5000000: spec.limits.maxInputBytes in body should be less than or"
                + " equal to 4.194304e+06",
            "spec.limits.maxInputBytes",
            "FieldValueInvalid"),
        Arguments.of(
            model("nomodule", "{entrypoint: rate}"),
            "RatingModel.clawrate.dev \"nomodule\" is invalid: spec.module: Required value",
            "spec.module",
            "FieldValueRequired"),
        Arguments.of(
            model("entry", "{module: {inline: AA==}, entrypoint: '1rate'}"),
            "RatingModel.clawrate.dev \"entry\" is invalid: spec.entrypoint: Invalid value:"
                + " \"1rate\": spec.entrypoint in body should match"
                + " '^[A-Za-z_][A-Za-z0-9_.$-]{0,127}$'",
            "spec.entrypoint",
            "FieldValueInvalid"),
        Arguments.of(
            model("type", "{module: {inline: AA==}, limits: {timeoutMillis: fast}}"),
            "RatingModel.clawrate.dev \"type\" is invalid: [spec.limits.timeoutMillis: Invalid"
                + " value: \"string\": spec.limits.timeoutMillis in body must be of type integer:"
                + " \"string\", <nil>: Invalid value: \"null\": some validation rules were not"
                + " checked because the object was invalid; correct the existing errors to"
                + " complete validation]",
            "spec.limits.timeoutMillis",
            "FieldValueTypeInvalid"),
        Arguments.of(
            model("long", "{module: {inline: AA==}, description: '" + "x".repeat(4097) + "'}"),
            "RatingModel.clawrate.dev \"long\" is invalid: spec.description: Too long: may not be"
                + " more than 4096 bytes",
            "spec.description",
            "FieldValueTooLong"),
        Arguments.of(
            model("empty", "{module: {inline: ''}}"),
            "RatingModel.clawrate.dev \"empty\" is invalid: spec.module.inline: Invalid value:"
                + " \"\": spec.module.inline in body should be at least 1 chars long",
            "spec.module.inline",
            "FieldValueInvalid"),
        Arguments.of(
            model("two", "{module: {inline: AA==, url: 'https://x/m.wasm', sha256: " + SHA + "}}"),
            "RatingModel.clawrate.dev \"two\" is invalid: spec.module: Invalid value: \"object\":"
                + " exactly one of inline, configMapKeyRef or url must be set",
            "spec.module",
            "FieldValueInvalid"),
        Arguments.of(
            model("nosha", "{module: {url: 'https://x/m.wasm'}}"),
            "RatingModel.clawrate.dev \"nosha\" is invalid: spec.module: Invalid value:"
                + " \"object\": sha256 is required with url",
            "spec.module",
            "FieldValueInvalid"),
        Arguments.of(
            model("Bad_Name", "{module: {inline: AA==}}"),
            "RatingModel.clawrate.dev \"Bad_Name\" is invalid: metadata.name: Invalid value:"
                + " \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case"
                + " alphanumeric characters, '-' or '.', and must start and end with an"
                + " alphanumeric character (e.g. 'example.com', regex used for validation is"
                + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "metadata.name",
            "FieldValueInvalid"),
        Arguments.of(
            tenant(
                "dup",
                "{threshold: 0, modelRef: {name: m}, alerting: {receivers: [{name: a, slack: {name: s, key: k}},"
                    + " {name: a, webhook: {name: s, key: k}}]}}"),
            "TenantConfig.clawrate.dev \"dup\" is invalid: spec.alerting.receivers: Invalid"
                + " value: \"array\": receiver names must be unique",
            "spec.alerting.receivers",
            "FieldValueInvalid"),
        Arguments.of(
            tenant(
                "none", "{threshold: 0, modelRef: {name: m}, alerting: {receivers: [{name: a}]}}"),
            "TenantConfig.clawrate.dev \"none\" is invalid: spec.alerting.receivers[0]: Invalid"
                + " value: \"object\": exactly one of slack, pagerduty or webhook must be set",
            "spec.alerting.receivers[0]",
            "FieldValueInvalid"),
        Arguments.of(
            tenant("fallback", "{threshold: 0, modelRef: {name: m}, fallback: {}}"),
            "TenantConfig.clawrate.dev \"fallback\" is invalid: spec.fallback: Invalid value:"
                + " \"object\": a fallback needs a modelRef, a decision or both",
            "spec.fallback",
            "FieldValueInvalid"),
        Arguments.of(
            tenant(
                "keys",
                "{threshold: 0, modelRef: {name: m}, auth: {apiKeySha256: ["
                    + String.join(",", java.util.Collections.nCopies(11, SHA))
                    + "]}}"),
            "TenantConfig.clawrate.dev \"keys\" is invalid: spec.auth.apiKeySha256: Too many: 11:"
                + " must have at most 10 items",
            "spec.auth.apiKeySha256",
            "FieldValueTooMany"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesAnInvalidObjectAsTheApiServerDoes(
      GenericKubernetesResource resource, String message, String field, String reason) {
    Status status = rejected(resource);
    assertEquals("Failure", status.getStatus());
    assertEquals("Invalid", status.getReason());
    assertEquals(message, status.getMessage());
    assertEquals(resource.getMetadata().getName(), status.getDetails().getName());
    assertEquals("clawrate.dev", status.getDetails().getGroup());
    assertEquals(resource.getKind(), status.getDetails().getKind());
    assertEquals(field, status.getDetails().getCauses().get(0).getField());
    assertEquals(reason, status.getDetails().getCauses().get(0).getReason());
  }

  @Test
  void storesAValidObjectPrunedAndDefaulted() {
    GenericKubernetesResource stored =
        create(model("defaults", "{module: {inline: AA==, surplus: 1}, extra: true}"));
    Map<String, Object> spec = stored.get("spec");
    assertEquals("rate", spec.get("entrypoint"));
    assertEquals(
        Map.of("maxInputBytes", 65536, "maxMemoryPages", 256, "timeoutMillis", 50),
        spec.get("limits"));
    assertFalse(spec.containsKey("extra"), "unknown fields are pruned: " + spec);
    assertEquals(Map.of("inline", "AA=="), spec.get("module"));
    GenericKubernetesResource read = cluster.client().resource(model("defaults", "{}")).get();
    assertEquals(spec, read.get("spec"), "what was stored is what the answer showed");
  }

  @Test
  void validatesPatchesAndKeepsWhatWasStored() {
    create(model("patched", "{module: {inline: AA==}}"));
    var resource = cluster.client().resource(model("patched", "{}"));
    KubernetesClientException e =
        assertThrows(
            KubernetesClientException.class,
            () ->
                resource.patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"limits\":{\"timeoutMillis\":0}}}"));
    assertEquals(422, e.getCode());
    assertTrue(e.getStatus().getMessage().contains("spec.limits.timeoutMillis"), e.getMessage());
    assertEquals(
        50,
        ((Map<?, ?>) resource.get().<Map<String, Object>>get("spec").get("limits"))
            .get("timeoutMillis"));
    GenericKubernetesResource patched =
        resource.patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"limits\":{\"timeoutMillis\":70}}}");
    assertEquals(
        70,
        ((Map<?, ?>) patched.<Map<String, Object>>get("spec").get("limits")).get("timeoutMillis"));
  }

  @Test
  void aStatusUpdateKeepsTheSpecAndIsValidatedToo() {
    GenericKubernetesResource created = create(model("status", "{module: {inline: AA==}}"));
    created.setAdditionalProperty(
        "status", Map.of("message", "ok", "limits", Map.of("timeoutMillis", 99999)));
    KubernetesClientException e =
        assertThrows(
            KubernetesClientException.class,
            () -> cluster.client().resource(created).updateStatus());
    assertEquals(422, e.getCode());
    assertTrue(e.getStatus().getMessage().contains("status.limits.timeoutMillis"), e.getMessage());
    GenericKubernetesResource fresh = cluster.client().resource(created).get();
    fresh.setAdditionalProperty("status", Map.of("message", "ok"));
    Map<String, Object> spec = fresh.get("spec");
    fresh.setAdditionalProperty("spec", Map.of("module", Map.of("inline", "BB==")));
    GenericKubernetesResource updated = cluster.client().resource(fresh).updateStatus();
    assertEquals(spec, updated.get("spec"), "a status update does not change the spec");
    assertEquals("ok", updated.<Map<String, Object>>get("status").get("message"));
  }

  @Test
  void canaryRulesAndBounds() {
    String steps = "steps: [{weight: 5}], traffic: {route: r, stableService: s, canaryService: c}";
    String target = "targetRef: {kind: RatingModel, name: m}";
    create(canary("good", "{" + target + ", regions: [a, b], " + steps + "}"));
    Status repeated = rejected(canary("rep", "{" + target + ", regions: [a, a], " + steps + "}"));
    assertTrue(repeated.getMessage().contains("regions must not repeat"), repeated.getMessage());
    Status kind = rejected(canary("kind", "{targetRef: {kind: Pod, name: m}, " + steps + "}"));
    assertTrue(
        kind.getMessage().contains("kind must be RatingModel or TenantConfig"), kind.getMessage());
  }
}
