package dev.clawrate.operator.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawrate.contract.engine.ModelLimits;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.canary.ReleaseSettings;
import dev.clawrate.operator.render.Inputs;
import dev.clawrate.operator.render.ModelInput;
import dev.clawrate.operator.render.RenderedSnapshot;
import dev.clawrate.operator.render.SnapshotRenderer;
import dev.clawrate.operator.render.TenantInput;
import dev.clawrate.operator.tenancy.Claims;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resources in examples/resources, which the README and the local run hand to users: each reads
 * cleanly, and together, their models validated, every one is published (no tenant names a model,
 * fallback or region list it cannot have).
 */
class ExampleResourcesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Path resources() {
    return Path.of(System.getProperty("clawrate.examples.dir", "../examples"), "resources");
  }

  @Test
  void everyExampleReadsCleanlyAndIsPublished() throws Exception {
    List<ModelInput> models = new ArrayList<>();
    List<TenantInput> tenants = new ArrayList<>();
    List<CanaryRelease> releases = new ArrayList<>();
    List<HTTPRoute> routes = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> listed = Files.list(resources())) {
      files = listed.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    for (Path file : files) {
      String text = Files.readString(file);
      String kind = YAML.readTree(text).path("kind").asText();
      switch (kind) {
        case "RatingModel" -> {
          RatingModel model = Serialization.unmarshal(text, RatingModel.class);
          assertNull(model.specProblem(), file.toString());
          model.getMetadata().setNamespace("examples");
          // As if its module validated: what matters here is what the tenants name.
          models.add(
              new ModelInput(
                  "examples",
                  model.getMetadata().getName(),
                  "sha256:" + "a".repeat(64),
                  model.getSpec().effectiveEntrypoint(),
                  ModelLimits.DEFAULTS,
                  "2025-01-01T00:00:00Z",
                  null));
        }
        case "TenantConfig" -> {
          TenantConfig tenant = Serialization.unmarshal(text, TenantConfig.class);
          assertNull(tenant.specProblem(), file.toString());
          tenant.getMetadata().setNamespace("examples");
          tenant.getMetadata().setCreationTimestamp("2025-01-02T00:00:00Z");
          tenants.add(Inputs.tenant(tenant));
        }
        case "CanaryRelease" -> {
          CanaryRelease release = Serialization.unmarshal(text, CanaryRelease.class);
          assertNull(release.specProblem(), file.toString());
          releases.add(release);
        }
        case "HTTPRoute" -> {
          HTTPRoute route = Serialization.unmarshal(text, HTTPRoute.class);
          routes.add(route);
        }
        default -> throw new AssertionError(file + ": unexpected kind '" + kind + "'");
      }
    }
    RenderedSnapshot rendered =
        SnapshotRenderer.render("stable", models, tenants, null, Claims.NONE);
    assertEquals(Map.of(), rendered.excluded());
    assertEquals(tenants.size(), rendered.document().tenants().size());
    // Each release governs a model of the examples through the example route's two Services.
    for (CanaryRelease release : releases) {
      assertTrue(
          rendered.document().models().containsKey(release.getSpec().getTargetRef().getName()));
      ReleaseSettings settings = ReleaseSettings.of(release.getSpec());
      HTTPRoute route =
          routes.stream()
              .filter(r -> r.getMetadata().getName().equals(settings.route()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no example route " + settings.route()));
      List<String> backends = new ArrayList<>();
      route
          .getSpec()
          .getRules()
          .forEach(rule -> rule.getBackendRefs().forEach(b -> backends.add(b.getName())));
      assertTrue(
          backends.containsAll(List.of(settings.stableService(), settings.canaryService())),
          "the example route names both Services of " + release.getMetadata().getName());
    }
  }
}
