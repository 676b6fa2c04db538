package dev.clawrate.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The generated CRD files in {@code crds/}, located by the {@code clawrate.crds.dir} property. */
final class Crds {

  static final String RATING_MODELS = "ratingmodels.clawrate.dev-v1.yml";
  static final String TENANT_CONFIGS = "tenantconfigs.clawrate.dev-v1.yml";
  static final String CANARY_RELEASES = "canaryreleases.clawrate.dev-v1.yml";

  private Crds() {}

  static Path dir() {
    String dir = System.getProperty("clawrate.crds.dir");
    if (dir == null) {
      throw new IllegalStateException("system property clawrate.crds.dir is not set");
    }
    return Path.of(dir);
  }

  static CustomResourceDefinition load(String fileName) {
    Path file = dir().resolve(fileName);
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  static CustomResourceDefinition ratingModels() {
    return load(RATING_MODELS);
  }

  static CustomResourceDefinition tenantConfigs() {
    return load(TENANT_CONFIGS);
  }

  static CustomResourceDefinition canaryReleases() {
    return load(CANARY_RELEASES);
  }
}
