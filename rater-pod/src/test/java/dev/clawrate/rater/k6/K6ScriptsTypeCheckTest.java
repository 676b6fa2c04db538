package dev.clawrate.rater.k6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.rater.testing.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k6 scripts pass a strict type check against k6's own type definitions, and the check is real:
 * the same check of a copy with a script that misuses the library and k6's options fails, naming
 * each mistake.
 */
class K6ScriptsTypeCheckTest {

  static Path scriptsDir() {
    return ExternalTool.repositoryRoot().resolve("k6");
  }

  @Test
  void theScriptsTypeCheck(@TempDir Path work) {
    ExternalTool.Result result = K6TypeCheck.installed().check(scriptsDir(), work);
    assertEquals(0, result.exitCode(), "tsc found errors:\n" + result.stdout() + result.stderr());
  }

  @Test
  void aWrongScriptFailsTheCheck(@TempDir Path work) throws IOException {
    Path copy = work.resolve("k6");
    copyTree(scriptsDir(), copy);
    Files.writeString(
        copy.resolve("wrong.js"),
        String.join(
            "\n",
            "import http from \"k6/http\";",
            "import { ratingRequest } from \"./lib/rating.js\";",
            "/** @type {import(\"k6/options\").Options} */",
            "export const options = { thresholds: { checks: \"rate>0.99\" } };",
            "export default function () {",
            "  const request = ratingRequest(null, \"{}\", 42, null);",
            "  http.post(request.url, request.body);",
            "}",
            ""));

    ExternalTool.Result result = K6TypeCheck.installed().check(copy, work);

    String said = result.stdout() + result.stderr();
    assertNotEquals(0, result.exitCode(), "tsc passed a wrong script:\n" + said);
    assertTrue(said.contains("wrong.js(4,"), "a threshold must be a list:\n" + said);
    assertTrue(
        said.contains("wrong.js(6,"), "ratingRequest takes a contract and a string:\n" + said);
    assertTrue(said.contains("wrong.js(7,"), "a RatingRequest has no url:\n" + said);
    assertTrue(
        said.lines()
            .filter(line -> line.contains("error TS"))
            .allMatch(l -> l.contains("wrong.js")),
        "only the wrong script has errors:\n" + said);
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(f -> !f.toString().contains("node_modules")).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
