package dev.clawrate.contract.testing;

import dev.clawrate.contract.engine.ModelLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test modules (src/test/wasm) and the project's examples, located by the build. */
public final class Fixtures {

  /**
   * Limits for every model a test runs that is not about time limits: the longest a call may take,
   * so that a loaded machine (a JIT warming up, both cores busy) never turns a slow call into a
   * timeout.
   */
  public static final ModelLimits UNHURRIED =
      new ModelLimits(
          ModelLimits.DEFAULT_MAX_MEMORY_PAGES,
          ModelLimits.MAX_TIMEOUT_MILLIS,
          ModelLimits.DEFAULT_MAX_INPUT_BYTES);

  private Fixtures() {}

  public static Path fixturesDir() {
    return Path.of(System.getProperty("clawrate.fixtures.dir", "src/test/wasm"));
  }

  public static Path examplesDir() {
    return Path.of(System.getProperty("clawrate.examples.dir", "../examples"));
  }

  /** A fixture module by name, e.g. {@code trap} for src/test/wasm/trap.wasm. */
  public static byte[] module(String name) {
    return read(fixturesDir().resolve(name + ".wasm"));
  }

  public static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
