package dev.clawrate.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bound, pattern, required field and CEL rule of clawrate's three CRDs, walked from the CRDs
 * themselves: for each, an object that keeps it is stored and one that breaks it is refused with a
 * 422 naming the field and the server's words for that check. A new constraint without a way to
 * keep and break it here fails this test.
 */
class CrdConstraintCoverageTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static LocalCluster cluster;

  /** A value that matches each pattern the CRDs use, and one that does not. */
  private static final Map<String, List<String>> PATTERN_SAMPLES =
      Map.ofEntries(
          Map.entry("^[-._a-zA-Z0-9]{1,253}$", List.of("model.wasm", "bad key")),
          Map.entry("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", List.of("my-name.v1", "My_Name")),
          Map.entry("^(page|ticket)$", List.of("ticket", "email")),
          Map.entry("^[^\\x00-\\x1f]{1,64}$", List.of("Runbook", "tab\there")),
          Map.entry("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", List.of("oncall", "on.call")),
          Map.entry("^https?://[^\\s]{1,2000}$", List.of("http://runbooks.example/x", "ftp://x")),
          Map.entry("^([0-9]{1,6}(ms|s|m|h))+$", List.of("1m30s", "90")),
          Map.entry("^[0-9a-f]{64}$", List.of("b".repeat(64), "B".repeat(64))),
          Map.entry("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", List.of("rater-stable", "1rater")),
          Map.entry("^[a-z][a-z0-9_-]{0,31}$", List.of("refer", "Refer")),
          Map.entry("^https://[^\\s]+$", List.of("https://m.example/m.wasm", "http://m.example/m")),
          Map.entry("^[A-Za-z_][A-Za-z0-9_.$-]{0,127}$", List.of("rate_v2", "2rate")),
          Map.entry("^[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?$", List.of("acme_bank-1", "-acme")));

  /** For each CEL rule (by its message): the node's value that breaks it. */
  private static final Map<String, String> RULE_BREAKERS =
      Map.of(
          "exactly one of inline, configMapKeyRef or url must be set",
          "{inline: AA==, configMapKeyRef: {name: cm, key: k}}",
          "sha256 is required with url",
          "{url: 'https://m.example/m.wasm'}",
          "exactly one of slack, pagerduty or webhook must be set",
          "{name: a, slack: {name: s, key: k}, webhook: {name: w, key: k}}",
          "receiver names must be unique",
          "[{name: a, slack: {name: s, key: k}}, {name: a, slack: {name: s, key: k}}]",
          "a fallback needs a modelRef, a decision or both",
          "{}",
          "every region must be a DNS label",
          "[eu-west, EU_EAST]",
          "regions must not repeat",
          "[eu-west, eu-west]",
          "kind must be RatingModel or TenantConfig",
          "Pod");

  /** Lists whose items must differ, so their size bounds are checked with distinct items. */
  private static final Map<String, Function<Integer, String>> DISTINCT_ITEMS =
      Map.of(
          "spec.regions", i -> "r" + i,
          "spec.alerting.receivers", i -> "{name: r" + i + ", slack: {name: s, key: k}}");

  private static final Map<String, String> BASES =
      Map.of(
          "RatingModel",
          """
          spec:
            description: a model
            entrypoint: rate
            limits: {maxInputBytes: 65536, maxMemoryPages: 256, timeoutMillis: 50}
            module: {inline: AA==}
          status:
            limits: {maxInputBytes: 65536, maxMemoryPages: 256, timeoutMillis: 50}
          """,
          "TenantConfig",
          """
          spec:
            modelRef: {name: credit-scorecard}
            threshold: 650
            tenantId: acme
            regions: [eu-west, us-east]
            auth: {apiKeySha256: [%s]}
            fallback: {modelRef: {name: champion}, decision: refer}
            slo:
              minRequests: 20
              availability: {objectivePercent: 99.9}
              latency: {objectivePercent: 99, threshold: 100ms}
              page: {longWindow: 1h, shortWindow: 5m, burnRate: 14.4}
              ticket: {longWindow: 6h, shortWindow: 30m, burnRate: 6}
            alerting:
              links: [{text: Runbook, url: 'https://runbooks.example/acme'}]
              receivers:
                - {name: chat, slack: {name: s, key: url}, severities: [ticket]}
                - {name: pager, pagerduty: {name: p, key: routing}}
                - {name: hook, webhook: {name: w, key: url}}
          """
              .formatted("a".repeat(64)),
          "CanaryRelease",
          """
          spec:
            targetRef: {kind: RatingModel, name: credit-scorecard}
            traffic: {route: raters, stableService: rater-stable, canaryService: rater-canary}
            shadow: {samplePercent: 50, minSamples: 20}
            steps: [{weight: 10, pause: 5s}]
            regions: [eu-west, us-east]
            analysis:
              interval: 5s
              minRequests: 10
              maxErrorRatePercent: 1
              maxP95Millis: 200
              maxP99Millis: 250
              maxFlipRatePercent: 5
              maxPopulationStability: 0.25
              failureLimit: 0
              progressDeadline: 2m
          """);

  /** One constraint of a CRD: where, which check, and the schema node holding it. */
  record Constraint(String kind, String path, String check, JsonNode schema, JsonNode detail) {
    @Override
    public String toString() {
      return kind + " " + path + " " + check;
    }
  }

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Stream<Constraint> constraints() throws IOException {
    List<Constraint> constraints = new ArrayList<>();
    for (String resource :
        List.of(
            "crds/ratingmodels.clawrate.dev-v1.yml",
            "crds/tenantconfigs.clawrate.dev-v1.yml",
            "crds/canaryreleases.clawrate.dev-v1.yml")) {
      try (InputStream in =
          CrdConstraintCoverageTest.class.getClassLoader().getResourceAsStream(resource)) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        JsonNode schema =
            Serialization.jsonMapper()
                .valueToTree(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
        walk(crd.getSpec().getNames().getKind(), schema, "", constraints);
      }
    }
    assertTrue(constraints.size() > 100, "the walk found the CRDs' constraints: " + constraints);
    return constraints.stream();
  }

  private static void walk(String kind, JsonNode schema, String path, List<Constraint> out) {
    for (String check :
        List.of(
            "pattern",
            "minimum",
            "maximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "enum",
            "minProperties",
            "maxProperties",
            "multipleOf")) {
      if (schema.has(check)) {
        out.add(new Constraint(kind, path, check, schema, schema.get(check)));
      }
    }
    for (JsonNode required : schema.path("required")) {
      String child = path.isEmpty() ? required.asText() : path + "." + required.asText();
      out.add(new Constraint(kind, child, "required", schema, required));
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      out.add(new Constraint(kind, path, "rule", schema, rule));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      walk(
          kind,
          property.getValue(),
          path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
          out);
    }
    if (schema.has("items")) {
      walk(kind, schema.get("items"), path + "[]", out);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void keptIsStoredAndBrokenIsRefused(Constraint constraint) {
    ObjectNode kept = base(constraint);
    ObjectNode broken = base(constraint);
    String field;
    String words;
    String check = constraint.check;
    JsonNode detail = constraint.detail;
    boolean integer = "integer".equals(constraint.schema.path("type").asText());
    switch (check) {
      case "required" -> {
        field = concrete(kept, constraint.path);
        remove(broken, constraint.path);
        words = "Required value";
      }
      case "minimum" -> {
        field = set(kept, constraint.path, number(detail.asDouble(), integer));
        set(broken, constraint.path, number(detail.asDouble() - 1, integer));
        words = "should be greater than or equal to";
      }
      case "maximum" -> {
        field = set(kept, constraint.path, number(detail.asDouble(), integer));
        set(broken, constraint.path, number(detail.asDouble() + 1, integer));
        words = "should be less than or equal to";
      }
      case "pattern" -> {
        List<String> samples = PATTERN_SAMPLES.get(detail.asText());
        assertNotNull(samples, "no samples for pattern " + detail.asText() + " of " + constraint);
        field = set(kept, constraint.path, JSON.textNode(samples.get(0)));
        set(broken, constraint.path, JSON.textNode(samples.get(1)));
        words = "should match '" + detail.asText() + "'";
      }
      case "minLength" -> {
        field = set(kept, constraint.path, JSON.textNode(lengthSample(detail.asInt())));
        set(broken, constraint.path, JSON.textNode(lengthSample(detail.asInt() - 1)));
        words = "should be at least " + detail.asInt() + " chars long";
      }
      case "maxLength" -> {
        field = set(kept, constraint.path, JSON.textNode(lengthSample(detail.asInt(), constraint)));
        set(broken, constraint.path, JSON.textNode(lengthSample(detail.asInt() + 1, constraint)));
        words = "Too long: may not be more than " + detail.asInt() + " bytes";
      }
      case "minItems" -> {
        field = set(kept, constraint.path, items(kept, constraint.path, detail.asInt()));
        set(broken, constraint.path, items(broken, constraint.path, detail.asInt() - 1));
        words = "should have at least " + detail.asInt() + " items";
      }
      case "maxItems" -> {
        field = set(kept, constraint.path, items(kept, constraint.path, detail.asInt()));
        set(broken, constraint.path, items(broken, constraint.path, detail.asInt() + 1));
        words = "must have at most " + detail.asInt() + " items";
      }
      case "rule" -> {
        String message = detail.path("message").asText();
        String breaker = RULE_BREAKERS.get(message);
        assertNotNull(breaker, "no value breaking the rule '" + message + "' of " + constraint);
        field = concrete(kept, constraint.path);
        set(broken, constraint.path, yaml(breaker));
        words = message;
      }
      default -> {
        fail("no way to keep and break '" + check + "' of " + constraint + " yet");
        return;
      }
    }
    store(constraint, kept);
    Status status = refused(constraint, broken);
    String expectedField = field;
    assertTrue(
        status.getDetails().getCauses().stream()
            .anyMatch(
                cause ->
                    expectedField.equals(cause.getField()) && cause.getMessage().contains(words)),
        constraint + ": expected a cause at " + field + " with '" + words + "' in " + status);
    assertTrue(status.getMessage().contains(field + ": "), status.getMessage());
  }

  private static ObjectNode base(Constraint constraint) {
    ObjectNode object = (ObjectNode) yaml(BASES.get(constraint.kind));
    object.put("apiVersion", "clawrate.dev/v1alpha1");
    object.put("kind", constraint.kind);
    object.putObject("metadata").put("name", "c" + NAMES.incrementAndGet());
    if (constraint.path.startsWith("spec.module.url")
        || constraint.path.startsWith("spec.module.sha256")) {
      ((ObjectNode) object.get("spec"))
          .set("module", yaml("{url: 'https://m.example/m.wasm', sha256: " + "c".repeat(64) + "}"));
    } else if (constraint.path.startsWith("spec.module.configMapKeyRef")) {
      ((ObjectNode) object.get("spec"))
          .set("module", yaml("{configMapKeyRef: {name: cm, key: k}}"));
    }
    return object;
  }

  private void store(Constraint constraint, ObjectNode object) {
    try {
      write(constraint, object);
    } catch (KubernetesClientException e) {
      fail(constraint + ": a value keeping it was refused: " + e.getMessage());
    }
  }

  private Status refused(Constraint constraint, ObjectNode object) {
    KubernetesClientException e =
        assertThrows(
            KubernetesClientException.class,
            () -> write(constraint, object),
            constraint + ": a value breaking it was stored: " + object);
    assertEquals(422, e.getCode(), e.getMessage());
    assertEquals("Invalid", e.getStatus().getReason());
    return e.getStatus();
  }

  /** Creates the object; a status constraint is then written through the status subresource. */
  private static void write(Constraint constraint, ObjectNode object) {
    JsonNode status = object.remove("status");
    GenericKubernetesResource created =
        cluster
            .client()
            .resource(
                Serialization.jsonMapper().convertValue(object, GenericKubernetesResource.class))
            .create();
    if (constraint.path.startsWith("status")) {
      created.setAdditionalProperty(
          "status", Serialization.jsonMapper().convertValue(status, Map.class));
      cluster.client().resource(created).updateStatus();
    }
  }

  /** The node a path names, "[]" choosing the first item holding the path's next field. */
  private static List<Object> walkTo(JsonNode root, String path) {
    List<Object> steps = new ArrayList<>();
    String[] parts = path.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean item = part.endsWith("[]");
      String name = item ? part.substring(0, part.length() - 2) : part;
      steps.add(name);
      node = node.path(name);
      if (item) {
        String next = i + 1 < parts.length ? parts[i + 1].replace("[]", "") : null;
        int index = 0;
        for (int j = 0; j < node.size(); j++) {
          if (next != null && node.get(j).has(next)) {
            index = j;
            break;
          }
        }
        steps.add(index);
        node = node.path(index);
      }
    }
    return steps;
  }

  private static String concrete(JsonNode root, String path) {
    StringBuilder field = new StringBuilder();
    for (Object step : walkTo(root, path)) {
      if (step instanceof Integer index) {
        field.append('[').append(index).append(']');
      } else {
        field.append(field.length() == 0 ? "" : ".").append(step);
      }
    }
    return field.toString();
  }

  /** Sets the value at path (its parents must exist); the concrete field path. */
  private static String set(ObjectNode root, String path, JsonNode value) {
    List<Object> steps = walkTo(root, path);
    JsonNode parent = root;
    for (Object step : steps.subList(0, steps.size() - 1)) {
      parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
      assertNotNull(parent, "the base object lacks " + path);
    }
    Object last = steps.get(steps.size() - 1);
    if (last instanceof Integer index) {
      ((ArrayNode) parent).set(index, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
    return concrete(root, path);
  }

  private static void remove(ObjectNode root, String path) {
    List<Object> steps = walkTo(root, path);
    JsonNode parent = root;
    for (Object step : steps.subList(0, steps.size() - 1)) {
      parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
    }
    assertNotNull(parent.get((String) steps.get(steps.size() - 1)), "the base object has " + path);
    ((ObjectNode) parent).remove((String) steps.get(steps.size() - 1));
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode number(double value, boolean integer) {
    return integer ? JSON.numberNode((long) value) : JSON.numberNode(value);
  }

  private static String lengthSample(int length) {
    return "A".repeat(Math.max(0, length));
  }

  /** A string of that length that keeps the field's pattern, if it has one. */
  private static String lengthSample(int length, Constraint constraint) {
    if (constraint.schema.has("pattern")) {
      String prefix = PATTERN_SAMPLES.get(constraint.schema.get("pattern").asText()).get(0);
      return prefix + "a".repeat(length - prefix.length());
    }
    return lengthSample(length);
  }

  /** A list of n items: distinct where the list's rules want them so, else the first repeated. */
  private static ArrayNode items(JsonNode root, String path, int count) {
    ArrayNode items = JSON.arrayNode();
    Function<Integer, String> distinct = DISTINCT_ITEMS.get(path);
    JsonNode list = root;
    for (Object step : walkTo(root, path)) {
      list = step instanceof Integer index ? list.path(index) : list.path((String) step);
    }
    JsonNode first = list.path(0);
    for (int i = 0; i < count; i++) {
      items.add(distinct != null ? yaml(distinct.apply(i)) : first.deepCopy());
    }
    return items;
  }
}
