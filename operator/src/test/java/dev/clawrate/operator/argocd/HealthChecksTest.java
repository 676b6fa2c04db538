package dev.clawrate.operator.argocd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawrate.rater.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Argo CD health checks in argocd/resource_customizations, run the way Argo CD runs them: each
 * test object of a kind's health_test.yaml is handed to its health.lua as the global {@code obj}
 * (by Lua 5.4, which runs these scripts as Argo CD's gopher-lua does), and the status and message
 * it returns are the expected ones. And argocd/argocd-cm-health.yaml carries the same scripts.
 */
class HealthChecksTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> KINDS = List.of("CanaryRelease", "RatingModel", "TenantConfig");

  /** Runs the script in a sandbox as bare as Argo CD's: no io or os for the script itself. */
  private static final String HARNESS =
      """
      local script = assert(loadfile(arg[1], "t"))
      obj = dofile(arg[2])
      local hs = script()
      io.write(tostring(hs.status), "\\n", tostring(hs.message))
      """;

  @TempDir Path work;

  private static Path argocd() {
    return Path.of(System.getProperty("clawrate.argocd.dir", "../argocd")).toAbsolutePath();
  }

  private static Path kindDir(String kind) {
    return argocd().resolve("resource_customizations/clawrate.dev").resolve(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CanaryRelease", "RatingModel", "TenantConfig"})
  void healthMatchesEveryTestCase(String kind) throws IOException {
    ExternalTool lua = ExternalTool.find("lua5.4");
    Path dir = kindDir(kind);
    Path harness = Files.writeString(work.resolve("harness.lua"), HARNESS);
    JsonNode tests = YAML.readTree(dir.resolve("health_test.yaml").toFile()).path("tests");
    assertFalse(tests.isEmpty(), kind + " has no health tests");
    for (JsonNode test : tests) {
      String input = test.path("inputPath").asText();
      JsonNode object = YAML.readTree(dir.resolve(input).toFile());
      assertEquals(kind, object.path("kind").asText(), input);
      Path objectFile =
          Files.writeString(work.resolve("obj.lua"), "return " + LuaLiteral.of(object));
      ExternalTool.Result result =
          lua.run(
              work,
              null,
              Duration.ofSeconds(30),
              harness.toString(),
              dir.resolve("health.lua").toString(),
              objectFile.toString());
      assertEquals(0, result.exitCode(), kind + " " + input + ": " + result.stderr());
      String[] got = result.stdout().split("\n", 2);
      JsonNode want = test.path("healthStatus");
      assertEquals(want.path("status").asText(), got[0], kind + " " + input + " status");
      assertEquals(want.path("message").asText(), got[1], kind + " " + input + " message");
    }
  }

  @Test
  void everyTestObjectIsUsedAndEveryKindHasAScript() throws IOException {
    for (String kind : KINDS) {
      Path dir = kindDir(kind);
      JsonNode tests = YAML.readTree(dir.resolve("health_test.yaml").toFile()).path("tests");
      List<String> used = tests.findValuesAsText("inputPath").stream().sorted().toList();
      List<String> present;
      try (Stream<Path> files = Files.list(dir.resolve("testdata"))) {
        present = files.map(f -> "testdata/" + f.getFileName()).sorted().toList();
      }
      assertEquals(present, used, kind + ": testdata files and health_test.yaml inputs");
    }
  }

  @Test
  void theArgocdCmSnippetCarriesTheScriptsAsTheyAre() throws IOException {
    String expected =
        ArgocdCmSnippet.render(
            KINDS, kind -> Files.readString(kindDir(kind).resolve("health.lua")));
    assertEquals(
        expected,
        Files.readString(argocd().resolve("argocd-cm-health.yaml")),
        "argocd/argocd-cm-health.yaml must carry the health.lua scripts exactly");
  }
}
