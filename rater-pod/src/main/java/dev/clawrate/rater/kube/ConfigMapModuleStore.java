package dev.clawrate.rater.kube;

import dev.clawrate.contract.engine.ModelValidationException;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.rater.snapshot.ModuleStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;

/**
 * Modules in module ConfigMaps ({@code clawrate-model-<12 hex>}, bytes in binaryData {@code
 * module.wasm}), looked up in an informer's cache rather than fetched, so a reload makes no API
 * call. The engine checks the bytes' SHA-256 against the digest itself.
 */
final class ConfigMapModuleStore implements ModuleStore {

  private final Function<String, ConfigMap> cachedByName;
  private final String namespace;

  /**
   * @param cachedByName the cached ConfigMap of that name in the namespace, or null
   */
  ConfigMapModuleStore(Function<String, ConfigMap> cachedByName, String namespace) {
    this.cachedByName = cachedByName;
    this.namespace = namespace;
  }

  @Override
  public byte[] read(String digest) throws ModelValidationException {
    String name = ClusterLayout.moduleConfigMapName(digest);
    ConfigMap configMap = cachedByName.apply(name);
    if (configMap == null) {
      throw new ModelValidationException(
          "module ConfigMap " + name + " not found in namespace " + namespace);
    }
    Map<String, String> annotations = configMap.getMetadata().getAnnotations();
    String annotated =
        annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
    if (!digest.equals(annotated)) {
      // Names keep 12 hex digits of the digest; two modules sharing them must not be confused.
      // What the annotation holds instead is not repeated: it is whatever the ConfigMap says.
      throw new ModelValidationException(
          "module ConfigMap "
              + name
              + " does not hold "
              + digest
              + " (its annotation "
              + ClusterLayout.ANNOTATION_DIGEST
              + " names another digest or none)");
    }
    Map<String, String> binaryData = configMap.getBinaryData();
    String encoded = binaryData == null ? null : binaryData.get(ClusterLayout.MODULE_KEY);
    if (encoded == null) {
      throw new ModelValidationException(
          "module ConfigMap " + name + " has no binaryData key " + ClusterLayout.MODULE_KEY);
    }
    // Checked before decoding, so an oversized value is never copied.
    if ((long) encoded.length() / 4 * 3 > MAX_MODULE_BYTES + 2L) {
      throw new ModelValidationException(
          "module in ConfigMap " + name + " is larger than " + MAX_MODULE_BYTES + " bytes");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the offending character.
      throw new ModelValidationException("module in ConfigMap " + name + " is not valid base64");
    }
    if (bytes.length > MAX_MODULE_BYTES) {
      throw new ModelValidationException(
          "module in ConfigMap " + name + " is larger than " + MAX_MODULE_BYTES + " bytes");
    }
    return bytes;
  }
}
