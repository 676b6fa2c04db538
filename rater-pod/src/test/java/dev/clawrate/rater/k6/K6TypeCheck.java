package dev.clawrate.rater.k6;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.rater.testing.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Type-checks a directory of k6 scripts with {@code tsc} and k6's type definitions where {@code
 * .ci/tools.sh} installed them. The scripts' own {@code tsconfig.json} stays free of paths outside
 * the repository: a config written next to the check extends it with where the types are.
 */
final class K6TypeCheck {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExternalTool tsc;
  private final Path types;

  private K6TypeCheck(ExternalTool tsc, Path types) {
    this.tsc = tsc;
    this.types = types;
  }

  /** The installed tsc and the {@code @types} directory beside it, which must hold k6's. */
  static K6TypeCheck installed() {
    ExternalTool tsc = ExternalTool.find("tsc");
    Path types = nodeModules(tsc.executable()).resolve("@types");
    if (!Files.isRegularFile(types.resolve("k6/index.d.ts"))) {
      throw new AssertionError("k6's types are not in " + types + ": run .ci/tools.sh first");
    }
    return new K6TypeCheck(tsc, types);
  }

  private static Path nodeModules(Path executable) {
    try {
      for (Path at = executable.toRealPath(); at != null; at = at.getParent()) {
        if (at.getFileName() != null && at.getFileName().toString().equals("node_modules")) {
          return at;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError(executable + " is not inside a node_modules: run .ci/tools.sh first");
  }

  /**
   * Checks the scripts {@code scriptsDir/tsconfig.json} includes, from a config written in {@code
   * workDir}; returns what tsc said.
   */
  ExternalTool.Result check(Path scriptsDir, Path workDir) {
    ObjectNode config = JSON.createObjectNode();
    config.put("extends", scriptsDir.resolve("tsconfig.json").toAbsolutePath().toString());
    ObjectNode options = config.putObject("compilerOptions");
    options.putArray("typeRoots").add(types.toString());
    options.put("baseUrl", types.toString());
    ObjectNode paths = options.putObject("paths");
    paths.putArray("k6").add("k6");
    paths.putArray("k6/*").add("k6/*");
    Path file = workDir.resolve("tsconfig.k6-check.json");
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tsc.run(
        workDir, null, Duration.ofMinutes(2), "-p", file.toString(), "--pretty", "false");
  }
}
