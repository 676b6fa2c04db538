package dev.clawrate.operator.publish;

import dev.clawrate.contract.snapshot.ClusterLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes module ConfigMaps nothing references any more, once they have been unreferenced for a
 * grace period: a rater may still be loading a snapshot that names one, and a rollback should find
 * its module still there. The final decision is taken by {@link ModuleConfigMaps} under the lock a
 * reconcile takes to ask for a module, so a module asked for within the grace period survives
 * whatever the caches lag; and the publisher never names a module this collector deleted (it checks
 * {@link ModuleConfigMaps#missing} right before writing).
 */
public final class ModuleGarbageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(ModuleGarbageCollector.class);

  private final ModuleConfigMaps modules;
  private final Supplier<List<ConfigMap>> cached;
  private final Duration grace;
  private final Clock clock;
  private final String region;
  // When each ConfigMap was first seen unreferenced. Held in memory only: after a restart the
  // grace period starts again, which errs on the side of keeping modules.
  private final Map<String, Instant> unreferencedSince = new HashMap<>();

  /**
   * @param cached the module ConfigMaps of the region, from a watch cache (no list per collection)
   */
  public ModuleGarbageCollector(
      ModuleConfigMaps modules,
      Supplier<List<ConfigMap>> cached,
      Duration grace,
      Clock clock,
      String region) {
    this.modules = modules;
    this.cached = cached;
    this.grace = grace;
    this.clock = clock;
    this.region = region;
  }

  /**
   * @param referenced every digest a published or in-flight snapshot, a RatingModel status or a
   *     rater heartbeat names
   * @return how many ConfigMaps were deleted
   */
  public synchronized int collect(Set<String> referenced) {
    Instant now = clock.instant();
    int count = 0;
    Map<String, Instant> stillUnreferenced = new HashMap<>();
    for (ConfigMap module : cached.get()) {
      String name = module.getMetadata().getName();
      Map<String, String> annotations = module.getMetadata().getAnnotations();
      String digest = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_DIGEST);
      if (digest != null && referenced.contains(digest)) {
        continue;
      }
      Instant since = unreferencedSince.getOrDefault(name, now);
      if (Duration.between(since, now).compareTo(grace) >= 0
          && modules.deleteUnlessWanted(name, digest, grace)) {
        count++;
        LOG.atInfo()
            .addKeyValue("region", region)
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
