package dev.clawrate.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.rater.testing.ExternalTool;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the embedded API server, as the README tells users to use it. */
class KubectlAgainstLocalClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static LocalCluster cluster;
  private static ExternalTool kubectl;
  @TempDir static Path dir;
  private static Path kubeconfig;

  @BeforeAll
  static void start() throws IOException {
    kubectl = ExternalTool.find("kubectl");
    cluster = LocalCluster.start(0);
    kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static ExternalTool.Result kubectl(String... args) {
    List<String> command =
        new java.util.ArrayList<>(List.of("--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return kubectl.run(dir, null, TIMEOUT, command.toArray(String[]::new));
  }

  private static Path example(String name) throws IOException {
    Path file = dir.resolve(name);
    try (var in =
        KubectlAgainstLocalClusterTest.class
            .getClassLoader()
            .getResourceAsStream("examples/" + name)) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  @Test
  void appliesTheExamplesWithValidationAndAgainAsAnUpdate() throws IOException {
    for (String name :
        List.of(
            "model-risk-tier.yaml",
            "model-credit-scorecard.yaml",
            "tenant-acme-bank.yaml",
            "canary-credit-scorecard.yaml")) {
      Path file = example(name);
      ExternalTool.Result created = kubectl("apply", "-f", file.toString());
      assertEquals(0, created.exitCode(), name + ": " + created.stderr());
      ExternalTool.Result again = kubectl("apply", "-f", file.toString());
      assertEquals(0, again.exitCode(), name + ": " + again.stderr());
    }
    assertColumns(
        kubectl("get", "rmodel", "risk-tier"),
        "NAME",
        "AGE",
        "READY",
        "DIGEST",
        "RATERS",
        "REGIONS");
    assertColumns(
        kubectl("get", "tenant", "-o", "wide"),
        "NAME",
        "AGE",
        "MODEL",
        "ALERTS",
        "READY",
        "DIGEST",
        "RATERS",
        "REGIONS");
    assertColumns(kubectl("get", "canary"), "NAME", "AGE", "CANARY", "PHASE", "STABLE", "WEIGHT");
  }

  private static void assertColumns(ExternalTool.Result get, String... columns) {
    assertEquals(0, get.exitCode(), get.stderr());
    String header = get.stdout().lines().findFirst().orElse("");
    assertEquals(List.of(columns), List.of(header.trim().split("\\s+")), get.stdout());
  }

  @Test
  void refusesAnInvalidModelWithTheServersMessage() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        apiVersion: clawrate.dev/v1alpha1
        kind: RatingModel
        metadata:
          name: bad
        spec:
          module: {inline: AA==}
          limits: {maxMemoryPages: 100000}
        """);
    ExternalTool.Result result = kubectl("apply", "-f", file.toString());
    assertNotEquals(0, result.exitCode());
    assertTrue(
        result
            .stderr()
            .contains("spec.limits.maxMemoryPages in body should be less than or equal to 4096"),
        result.stderr());
  }

  @Test
  void refusesAnUnknownFieldAsStrictValidationAsksAndWarnsWhenAskedTo() throws IOException {
    Path file = dir.resolve("unknown.yaml");
    Files.writeString(
        file,
        """
        apiVersion: clawrate.dev/v1alpha1
        kind: RatingModel
        metadata:
          name: unknown-field
        spec:
          module: {inline: AA==}
          bogus: 1
        """);
    ExternalTool.Result strict = kubectl("apply", "-f", file.toString());
    assertNotEquals(0, strict.exitCode());
    assertTrue(
        strict
            .stderr()
            .contains(
                "RatingModel in version \"v1alpha1\" cannot be handled as a RatingModel: strict"
                    + " decoding error: unknown field \"spec.bogus\""),
        strict.stderr());
    ExternalTool.Result warned = kubectl("apply", "--validate=warn", "-f", file.toString());
    assertEquals(0, warned.exitCode(), warned.stderr());
    assertTrue(warned.stderr().contains("unknown field \"spec.bogus\""), warned.stderr());
    ExternalTool.Result stored =
        kubectl("get", "rmodel", "unknown-field", "-o", "jsonpath={.spec}");
    assertEquals(0, stored.exitCode(), stored.stderr());
    assertTrue(
        !stored.stdout().contains("bogus") && stored.stdout().contains("\"entrypoint\":\"rate\""),
        stored.stdout());
  }

  @Test
  void explainPrintsTheCrdDescriptions() {
    ExternalTool.Result result = kubectl("explain", "ratingmodel.spec");
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(
        result.stdout().contains("Free-text description of the model, for humans."),
        result.stdout());
    assertTrue(result.stdout().contains("entrypoint"), result.stdout());
  }

  @Test
  void describeShowsTheObjectsEvents() {
    GenericKubernetesResource model =
        cluster
            .client()
            .resource(ApiServerValidationTest.model("described", "{module: {inline: AA==}}"))
            .create();
    cluster
        .client()
        .v1()
        .events()
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("described.1")
                .withNamespace(LocalCluster.NAMESPACE)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion("clawrate.dev/v1alpha1")
                .withKind("RatingModel")
                .withName("described")
                .withNamespace(LocalCluster.NAMESPACE)
                .withUid(model.getMetadata().getUid())
                .endInvolvedObject()
                .withReason("Validated")
                .withMessage("module validated")
                .withType("Normal")
                .build())
        .create();
    ExternalTool.Result result = kubectl("describe", "rmodel", "described");
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(
        result.stdout().matches("(?s).*Events:.*Normal\\s+Validated\\s+.*module validated.*"),
        result.stdout());
  }
}
