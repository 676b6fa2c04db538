package dev.clawrate.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.canary.ReleasePins;
import dev.clawrate.operator.publish.SnapshotPublisher;
import dev.clawrate.operator.tenancy.ClaimStore;
import dev.clawrate.operator.tenancy.Claims;
import dev.clawrate.operator.tenancy.ClaimsCodec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files of what the operator derives from the custom resources: each {@code
 * golden/rendering/in-<case>.yaml} (RatingModels with the status the operator records after
 * validation, TenantConfigs, and optionally a ConfigMap named {@code previous} holding the snapshot
 * published before and one named {@code clawrate-claims} holding the claims recorded so far, and
 * CanaryReleases with the status that pins what each track serves) renders the stable snapshot
 * ConfigMap, exactly as it is published with revision 1 (and, with releases, the canary track's
 * snapshot), the resources left out with their reasons, and the claims recorded with it; the result
 * must equal {@code out-<case>.yaml} byte for byte (line endings aside).
 *
 * <p>To regenerate the out files after an intended change, run
 *
 * <pre>
 * mvn -q test -Dspotless.check.skip=true -pl operator -Dtest=SnapshotRenderingGoldenTest \
 *     -Dclawrate.golden.update=true
 * </pre>
 *
 * and review the diff of {@code operator/src/test/resources/golden/rendering/out-*.yaml}: the out
 * files are the specification, not a by-product.
 */
class SnapshotRenderingGoldenTest {

  static final String UPDATE_PROPERTY = "clawrate.golden.update";
  static final String TRACK = "stable";
  static final String PREVIOUS = "previous";

  /** Cases that must exist: deleting one by accident should not pass silently. */
  static final List<String> REQUIRED_CASES =
      List.of(
          "basic",
          "canary-release",
          "model-not-validated",
          "name-conflict",
          "invalid-tenant",
          "tenant-carry-over",
          "empty-world",
          "claims");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ObjectMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  static Path dir() {
    // Surefire runs in the module's directory; read and write the sources, not target/, so an
    // update lands where git sees it.
    return Path.of("src", "test", "resources", "golden", "rendering");
  }

  @Test
  void everyRequiredCaseHasAnInputFile() {
    for (String name : REQUIRED_CASES) {
      assertTrue(
          Files.isRegularFile(dir().resolve("in-" + name + ".yaml")),
          "missing golden input in-" + name + ".yaml in " + dir().toAbsolutePath());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyInputRendersItsGoldenOutput() throws IOException {
    List<Path> inputs;
    try (Stream<Path> files = Files.list(dir())) {
      inputs =
          files
              .filter(p -> p.getFileName().toString().matches("in-.+\\.yaml"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertTrue(!inputs.isEmpty(), "no golden inputs in " + dir().toAbsolutePath());
    boolean update = Boolean.getBoolean(UPDATE_PROPERTY);
    return inputs.stream()
        .map(
            in -> {
              String name = in.getFileName().toString().replaceFirst("^in-(.+)\\.yaml$", "$1");
              Path out = dir().resolve("out-" + name + ".yaml");
              return DynamicTest.dynamicTest(name, () -> check(in, out, update));
            });
  }

  private static void check(Path in, Path out, boolean update) throws IOException {
    List<String> documents = documents(Files.readString(in, StandardCharsets.UTF_8));
    String actual = render(documents);
    // The informer cache hands resources over in no particular order: the order of the
    // documents must not matter.
    List<String> reversed = new ArrayList<>(documents);
    java.util.Collections.reverse(reversed);
    assertEquals(actual, render(reversed), in.getFileName() + " renders differently when reversed");
    if (update) {
      Files.writeString(out, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.isRegularFile(out)) {
      fail(out + " is missing; generate it with -D" + UPDATE_PROPERTY + "=true and review it");
    }
    String expected = normalise(Files.readString(out, StandardCharsets.UTF_8));
    assertEquals(
        expected,
        normalise(actual),
        "rendering of " + in.getFileName() + " differs from " + out.getFileName());
  }

  private static String normalise(String text) {
    return text.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** The whole pipeline of one case, from the resources' YAML to the golden text. */
  static String render(List<String> inputDocuments) throws IOException {
    List<ModelInput> models = new ArrayList<>();
    List<TenantInput> tenants = new ArrayList<>();
    List<CanaryRelease> releases = new ArrayList<>();
    SnapshotDocument previous = null;
    Claims claims = Claims.NONE;
    for (String document : inputDocuments) {
      String kind = YAML.readTree(document).path("kind").asText();
      switch (kind) {
        case "RatingModel" ->
            models.add(Inputs.model(Serialization.unmarshal(document, RatingModel.class)));
        case "TenantConfig" ->
            tenants.add(Inputs.tenant(Serialization.unmarshal(document, TenantConfig.class)));
        case "CanaryRelease" ->
            releases.add(Serialization.unmarshal(document, CanaryRelease.class));
        case "ConfigMap" -> {
          ConfigMap configMap = Serialization.unmarshal(document, ConfigMap.class);
          String name = configMap.getMetadata().getName();
          if (PREVIOUS.equals(name)) {
            try {
              previous =
                  SnapshotCodec.read(
                      ClusterLayout.load(configMap.getData(), configMap.getBinaryData()));
            } catch (dev.clawrate.contract.snapshot.SnapshotException e) {
              throw new IllegalArgumentException("the previous snapshot is invalid", e);
            }
          } else if (ClaimStore.NAME.equals(name)) {
            claims = ClaimsCodec.read(configMap.getData()).claims();
          } else {
            throw new IllegalArgumentException(
                "only ConfigMaps named '"
                    + PREVIOUS
                    + "' and '"
                    + ClaimStore.NAME
                    + "' are understood");
          }
        }
        default -> throw new IllegalArgumentException("unexpected kind '" + kind + "'");
      }
    }

    RenderedSnapshot current = SnapshotRenderer.render(TRACK, models, tenants, previous, claims);
    TrackSplit.Tracks tracks = TrackSplit.split(current, ReleasePins.governed(releases));
    RenderedSnapshot rendered = tracks.stable();
    SnapshotDocument published = SnapshotPublisher.withRevision(rendered.document(), 1);

    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ConfigMap configMap = configMap(published);
    root.set("snapshotConfigMap", sorted(Serialization.jsonMapper().valueToTree(configMap)));
    // The same snapshot.json decoded, in the order SnapshotCodec writes it, so a reviewer reads
    // (and a diff shows) the content instead of one long escaped line.
    root.set(
        "snapshotJsonForReview",
        JSON.readTree(ClusterLayout.load(configMap.getData(), configMap.getBinaryData())));
    if (!releases.isEmpty()) {
      // What the canary raters serve: only a case with releases has anything to show there.
      root.set(
          "canarySnapshotJsonForReview",
          JSON.readTree(
              SnapshotCodec.write(SnapshotPublisher.withRevision(tracks.canary().document(), 1))));
    }
    ArrayNode excluded = root.putArray("excluded");
    rendered.excluded().entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<ResourceKey, Exclusion> e) -> e.getKey().kind())
                .thenComparing(e -> e.getKey().namespace())
                .thenComparing(e -> e.getKey().name()))
        .forEach(
            e ->
                excluded
                    .addObject()
                    .put("kind", e.getKey().kind())
                    .put("namespace", e.getKey().namespace())
                    .put("name", e.getKey().name())
                    .put("reason", e.getValue().reason())
                    .put("message", e.getValue().message())
                    .put("previousStillServed", e.getValue().carriedOver()));
    // Which tenants each region's snapshot holds: those that name it, or name no region.
    Set<String> regionNames = new TreeSet<>(List.of("local"));
    rendered.tenantRegions().values().forEach(regionNames::addAll);
    ObjectNode byRegion = root.putObject("tenantsByRegion");
    for (String region : regionNames) {
      ArrayNode ids = byRegion.putArray(region);
      RegionSlice.of(rendered, region, previous)
          .snapshot()
          .document()
          .tenants()
          .keySet()
          .forEach(ids::add);
    }
    // The claims the operator records before it publishes this snapshot.
    ObjectNode claimed = root.putObject("claims");
    ClaimsCodec.write(rendered.claims()).forEach(claimed::put);
    return YAML.writeValueAsString(root);
  }

  /** The snapshot ConfigMap as {@link SnapshotPublisher} writes it (namespace aside). */
  static ConfigMap configMap(SnapshotDocument document) {
    ClusterLayout.StoredSnapshot stored = ClusterLayout.store(SnapshotCodec.write(document));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ClusterLayout.snapshotConfigMapName(document.track()))
        .withLabels(new TreeMap<>(ClusterLayout.snapshotLabels(document.track())))
        .withAnnotations(
            Map.of(ClusterLayout.ANNOTATION_REVISION, Long.toString(document.revision())))
        .endMetadata()
        .withData(stored.data().isEmpty() ? null : new TreeMap<>(stored.data()))
        .withBinaryData(stored.binaryData().isEmpty() ? null : new TreeMap<>(stored.binaryData()))
        .build();
  }

  /**
   * Sorts the keys of every object but the top level of a Kubernetes object, so the iteration order
   * of a Map.of never matters.
   */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      if (!names.contains("apiVersion")) {
        names.sort(Comparator.naturalOrder());
      }
      names.forEach(n -> copy.set(n, sorted(node.get(n))));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> copy.add(sorted(child)));
      return copy;
    }
    return node;
  }

  /** The documents of a multi-document YAML file, blank and comment-only ones dropped. */
  static List<String> documents(String yaml) {
    List<String> documents = new ArrayList<>();
    for (String part : normalise(yaml).split("(?m)^---[ \\t]*$")) {
      boolean hasContent =
          part.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
      if (hasContent) {
        documents.add(part);
      }
    }
    return documents;
  }
}
