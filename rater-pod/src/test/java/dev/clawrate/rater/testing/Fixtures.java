package dev.clawrate.rater.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test modules (src/test/wasm) and the project's examples, located by the build. */
public final class Fixtures {

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
