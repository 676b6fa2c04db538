package dev.clawrate.operator.publish;

import dev.clawrate.rater.snapshot.ClusterLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes module ConfigMaps: one per digest, content-addressed and immutable, written before any
 * snapshot names it. Writing one that exists is a read and nothing more.
 */
public final class ModuleConfigMaps {

  /** Raised when two different modules share the 12 hex digits a ConfigMap name keeps. */
  public static final class DigestCollisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DigestCollisionException(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  // Digests whose ConfigMap this operator created or found: re-reconciling a model whose
  // module is written costs no request. Cleared by the garbage collector when it deletes one.
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public ModuleConfigMaps(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Makes sure the module's ConfigMap exists.
   *
   * @return true if it was created now
   */
  public boolean ensure(String digest, byte[] module) {
    if (known.contains(digest)) {
      return false;
    }
    String name = ClusterLayout.moduleConfigMapName(digest);
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(ClusterLayout.moduleLabels())
            .withAnnotations(Map.of(ClusterLayout.ANNOTATION_DIGEST, digest))
            .endMetadata()
            .withImmutable(true)
            .withBinaryData(
                Map.of(ClusterLayout.MODULE_KEY, Base64.getEncoder().encodeToString(module)))
            .build();
    // Create first: a new version is the common case, and a conflict tells us it exists.
    try {
      client.configMaps().inNamespace(namespace).resource(desired).create();
      known.add(digest);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      checkSameDigest(client.configMaps().inNamespace(namespace).withName(name).get(), digest);
      known.add(digest);
      return false;
    }
  }

  /** Forgets that a module exists, after its ConfigMap was deleted. */
  public void forget(String digest) {
    known.remove(digest);
  }

  private static void checkSameDigest(ConfigMap existing, String digest) {
    Map<String, String> annotations = existing.getMetadata().getAnnotations();
    String found = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
    if (!digest.equals(found)) {
      throw new DigestCollisionException(
          "ConfigMap "
              + existing.getMetadata().getName()
              + " holds module "
              + found
              + ", not "
              + digest
              + " (12-hex-digit name collision)");
    }
  }
}
