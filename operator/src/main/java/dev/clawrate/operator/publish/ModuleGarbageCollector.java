package dev.clawrate.operator.publish;

import dev.clawrate.rater.snapshot.ClusterLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes module ConfigMaps that nothing references any more, once they have been unreferenced for
 * a grace period: a rater may still be loading a snapshot that names one, and a rollback to the
 * previous version should find its module still there.
 */
public final class ModuleGarbageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(ModuleGarbageCollector.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Duration grace;
  private final Clock clock;
  // When each ConfigMap was first seen unreferenced. Held in memory only: after a restart the
  // grace period starts again, which errs on the side of keeping modules.
  private final Map<String, Instant> unreferencedSince = new HashMap<>();

  private final Consumer<String> deleted;

  public ModuleGarbageCollector(
      KubernetesClient client, String namespace, Duration grace, Clock clock) {
    this(client, namespace, grace, clock, digest -> {});
  }

  /**
   * @param deleted told the digest of each module ConfigMap deleted, so whoever remembers which
   *     modules exist can forget it
   */
  public ModuleGarbageCollector(
      KubernetesClient client,
      String namespace,
      Duration grace,
      Clock clock,
      Consumer<String> deleted) {
    this.deleted = deleted;
    this.client = client;
    this.namespace = namespace;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * @param referenced every digest a published snapshot or a RatingModel status names
   * @return how many ConfigMaps were deleted
   */
  public synchronized int collect(Set<String> referenced) {
    Instant now = clock.instant();
    int count = 0;
    Map<String, Instant> stillUnreferenced = new HashMap<>();
    for (ConfigMap module :
        client
            .configMaps()
            .inNamespace(namespace)
            .withLabel(ClusterLayout.LABEL_COMPONENT, ClusterLayout.COMPONENT_MODULE)
            .list()
            .getItems()) {
      String name = module.getMetadata().getName();
      Map<String, String> annotations = module.getMetadata().getAnnotations();
      String digest = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
      if (digest != null && referenced.contains(digest)) {
        continue;
      }
      Instant since = unreferencedSince.getOrDefault(name, now);
      if (Duration.between(since, now).compareTo(grace) >= 0) {
        client.configMaps().inNamespace(namespace).withName(name).delete();
        if (digest != null) {
          this.deleted.accept(digest);
        }
        count++;
        LOG.atInfo()
            .addKeyValue("namespace", namespace)
            .addKeyValue("configMap", name)
            .addKeyValue("digest", digest)
            .log("unreferenced module deleted");
      } else {
        stillUnreferenced.put(name, since);
      }
    }
    unreferencedSince.clear();
    unreferencedSince.putAll(stillUnreferenced);
    return count;
  }
}
