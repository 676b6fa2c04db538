package dev.clawrate.benchmarks;

import dev.clawrate.contract.engine.ModuleDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example credit scorecard and sample applicant every benchmark rates. */
public final class ExampleScorecard {

  public static final String DIGEST =
      "sha256:8e88bf0aece1468784b4eda8e16ac78444c514d9dbf9eded0163959ab98e2b22";

  private ExampleScorecard() {}

  public static byte[] module() {
    return read("config/modules/" + ModuleDigest.hex(DIGEST) + ".wasm");
  }

  public static byte[] applicant() {
    return read("requests/applicant.json");
  }

  private static byte[] read(String path) {
    Path examples = Path.of(System.getProperty("clawrate.examples.dir", "examples"));
    try {
      return Files.readAllBytes(examples.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
