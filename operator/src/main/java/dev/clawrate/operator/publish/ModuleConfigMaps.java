package dev.clawrate.operator.publish;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.operator.kube.MetadataList;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module ConfigMaps of one region's rater namespace: one per digest, content-addressed and
 * immutable, written before any snapshot names it. Writing one that exists costs nothing; one that
 * was deleted or edited by hand is written again from the bytes it held. It decides, under a lock
 * per digest shared with the garbage collector, which modules exist: a module a reconcile just
 * asked for is never deleted under it, and a module the collector deleted is never taken to exist.
 */
public final class ModuleConfigMaps {

  private static final Logger LOG = LoggerFactory.getLogger(ModuleConfigMaps.class);

  /** Raised when two different modules share the 12 hex digits a ConfigMap name keeps. */
  public static final class DigestCollisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DigestCollisionException(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String region;
  private final Clock clock;
  // A lock per digest (striped): asking for a module and deleting it exclude each other, while
  // reconciles writing different modules, and the publisher reading what exists, never wait.
  private final Object[] stripes = new Object[64];
  // Digests whose ConfigMap this operator wrote or checked and has not seen deleted since, changed
  // under the digest's lock. Watch events never add to it: a late event must not resurrect a
  // module the collector just deleted.
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  // When a reconcile last asked for each digest, changed under the digest's lock: the collector
  // spares a digest asked for within its grace period whatever the caches say.
  private final Map<String, Instant> wanted = new ConcurrentHashMap<>();

  public ModuleConfigMaps(KubernetesClient client, String namespace, String region, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.region = region;
    this.clock = clock;
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  private Object lock(String digest) {
    return stripes[Math.floorMod(digest.hashCode(), stripes.length)];
  }

  /**
   * Makes sure the module's ConfigMap exists and holds exactly these bytes.
   *
   * @return true if it was written now
   */
  public boolean ensure(String digest, byte[] module) {
    synchronized (lock(digest)) {
      wanted.put(digest, clock.instant());
      if (known.contains(digest)) {
        return false;
      }
      boolean written = write(digest, module);
      known.add(digest);
      return written;
    }
  }

  /** Whether the module's ConfigMap is known to exist; a reconcile that skips fetching asks. */
  public boolean exists(String digest) {
    return known.contains(digest);
  }

  /** The digests among {@code digests} whose ConfigMap is not known to exist. */
  public Set<String> missing(Collection<String> digests) {
    Set<String> missing = new HashSet<>(digests);
    missing.removeAll(known);
    return missing;
  }

  /** Takes the module ConfigMaps a fresh cache lists as existing: the state before this process. */
  public void seed(Collection<ConfigMap> cached) {
    for (ConfigMap configMap : cached) {
      String digest = intactDigest(configMap);
      if (digest != null) {
        synchronized (lock(digest)) {
          known.add(digest);
        }
      }
    }
  }

  /**
   * Checks the region against what this process believes exists: a module it believes written but
   * that the API server does not list (the cluster was rebuilt, or the module deleted while the
   * watch was down) is known no more, so it is written again before any snapshot names it. Only
   * forgets: a module listed here may be deleted by the collector a moment later.
   */
  public void verify() {
    Set<String> listed = new HashSet<>();
    // Metadata only: the modules' bytes are not read again; the watch reports a module changed.
    for (ObjectMeta metadata :
        MetadataList.configMaps(client, namespace, ClusterLayout.moduleLabels())) {
      String digest = namedDigest(metadata);
      if (digest != null) {
        listed.add(digest);
      }
    }
    int forgotten = 0;
    for (String digest : List.copyOf(known)) {
      if (!listed.contains(digest)) {
        synchronized (lock(digest)) {
          forgotten += known.remove(digest) ? 1 : 0;
        }
      }
    }
    if (forgotten > 0) {
      LOG.atWarn()
          .addKeyValue("region", region)
          .addKeyValue("modules", forgotten)
          .log("module ConfigMaps missing from the region (rebuilt?); writing them again");
    }
  }

  /** When a reconcile last asked for the digest, or null. */
  public Instant lastWanted(String digest) {
    return wanted.get(digest);
  }

  /**
   * Deletes the module ConfigMap unless it was asked for within {@code grace}; decided and done
   * under the lock, so no reconcile can count on it in between.
   *
   * @return true if it was deleted
   */
  public boolean deleteUnlessWanted(String name, String digest, Duration grace) {
    synchronized (lock(digest == null ? name : digest)) {
      Instant asked = digest == null ? null : wanted.get(digest);
      if (asked != null && Duration.between(asked, clock.instant()).compareTo(grace) < 0) {
        return false;
      }
      if (digest != null) {
        known.remove(digest);
        wanted.remove(digest);
      }
      client.configMaps().inNamespace(namespace).withName(name).delete();
      return true;
    }
  }

  /**
   * A module ConfigMap disappeared or changed under us (the watch saw it): it is not known to exist
   * any more, so the next publish writes it again before a snapshot names it.
   */
  public void damaged(String digest) {
    synchronized (lock(digest)) {
      known.remove(digest);
    }
  }

  /**
   * The digest a module ConfigMap holds intact (labels, annotation and bytes as this operator
   * writes them), or null.
   */
  public static String intactDigest(ConfigMap configMap) {
    String digest = namedDigest(configMap.getMetadata());
    return digest == null || intactBytes(configMap, digest) == null ? null : digest;
  }

  /**
   * The digest a module ConfigMap's metadata names (labels, annotation and name as this operator
   * writes them), or null; whether its bytes are intact is not known from the metadata.
   */
  static String namedDigest(ObjectMeta metadata) {
    Map<String, String> annotations = metadata.getAnnotations();
    String digest = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
    if (digest == null
        || !ModuleDigest.isWellFormed(digest)
        || !ClusterLayout.moduleConfigMapName(digest).equals(metadata.getName())
        || !labelled(metadata)) {
      return null;
    }
    return digest;
  }

  private static boolean labelled(ObjectMeta metadata) {
    Map<String, String> labels = metadata.getLabels();
    return labels != null && labels.entrySet().containsAll(ClusterLayout.moduleLabels().entrySet());
  }

  /** The bytes in the ConfigMap when they hash to {@code digest}, else null. */
  static byte[] intactBytes(ConfigMap configMap, String digest) {
    Map<String, String> binary = configMap.getBinaryData();
    String encoded = binary == null ? null : binary.get(ClusterLayout.MODULE_KEY);
    if (encoded == null) {
      return null;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(encoded);
      return digest.equals(ModuleDigest.of(bytes)) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Creates the ConfigMap, or replaces one of that name that is not intact. */
  private boolean write(String digest, byte[] module) {
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
    // Create first: a new version is the common case, and a conflict tells us one exists.
    try {
      client.configMaps().inNamespace(namespace).resource(desired).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
    ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      client.configMaps().inNamespace(namespace).resource(desired).create();
      return true;
    }
    if (digest.equals(intactDigest(existing))) {
      return false;
    }
    checkNotACollision(existing, digest);
    replace(existing, desired);
    LOG.atWarn()
        .addKeyValue("region", region)
        .addKeyValue("configMap", name)
        .log("module ConfigMap was not as written (edited by hand?); replaced");
    return true;
  }

  /** An immutable ConfigMap cannot be updated on a real cluster: delete it and create it anew. */
  private void replace(ConfigMap existing, ConfigMap desired) {
    var resource =
        client.configMaps().inNamespace(namespace).withName(desired.getMetadata().getName());
    if (!Boolean.TRUE.equals(existing.getImmutable())) {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      try {
        client.configMaps().inNamespace(namespace).resource(desired).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 422 && e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      } finally {
        desired.getMetadata().setResourceVersion(null);
      }
    }
    resource.delete();
    client.configMaps().inNamespace(namespace).resource(desired).create();
  }

  /**
   * Two different modules whose digests share the 12 hex digits of the name: astronomically rare,
   * and refused rather than overwritten. A ConfigMap whose annotation or bytes were tampered with
   * is not a collision; it is replaced.
   */
  private static void checkNotACollision(ConfigMap existing, String digest) {
    Map<String, String> annotations = existing.getMetadata().getAnnotations();
    String other = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
    if (other != null
        && !other.equals(digest)
        && ModuleDigest.isWellFormed(other)
        && intactBytes(existing, other) != null) {
      throw new DigestCollisionException(
          "ConfigMap "
              + existing.getMetadata().getName()
              + " holds module "
              + other
              + ", not "
              + digest
              + " (12-hex-digit name collision)");
    }
  }

  /** The module ConfigMaps among {@code cached}, by digest annotation (null when missing). */
  public static List<ConfigMap> modules(Collection<ConfigMap> cached) {
    List<ConfigMap> modules = new ArrayList<>();
    for (ConfigMap configMap : cached) {
      Map<String, String> labels = configMap.getMetadata().getLabels();
      if (labels != null
          && Objects.equals(
              labels.get(ClusterLayout.LABEL_COMPONENT), ClusterLayout.COMPONENT_MODULE)) {
        modules.add(configMap);
      }
    }
    return modules;
  }
}
