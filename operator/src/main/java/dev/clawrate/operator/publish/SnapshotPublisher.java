package dev.clawrate.operator.publish;

import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.SnapshotException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a track's snapshot pointer, {@code clawrate-snapshot-<track>}, into one region's rater
 * namespace, only when its content changed, with the next revision. It is written with an update
 * guarded by resourceVersion (optimistic locking; the mock API server has no server-side apply), so
 * two operators can never interleave revisions.
 *
 * <p>Revisions only move forward: the next one is above the ConfigMap's, above any this publisher
 * wrote, and above any a rater of the track reports having seen (its heartbeat), so a snapshot
 * ConfigMap deleted or rewritten by hand never restarts the count below what raters hold and would
 * refuse as older. When a rater reports a revision above the ConfigMap's, the same content is
 * written again above it.
 */
public final class SnapshotPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
  private static final int MAX_CONFLICT_RETRIES = 5;

  /**
   * What a publish did.
   *
   * @param stale the cluster no longer held what this publisher last wrote (deleted, rebuilt, or
   *     written by someone else): nothing was written, and what else the region holds (its modules)
   *     is worth checking before publishing again
   */
  public record Result(boolean written, long revision, int bytes, boolean stale) {

    Result(boolean written, long revision, int bytes) {
      this(written, revision, bytes, false);
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String region;
  private final LongSupplier ratersHighestRevision;
  // The document last seen in the cluster (revision zeroed), so an unchanged world costs no
  // request at all; null until the first publish reads the cluster, and after forget().
  private volatile SnapshotDocument lastKnown;
  private volatile long lastKnownRevision = -1;
  // The resourceVersion of the last state this publisher wrote or read, to tell its own writes
  // from someone else's when the watch reports a change.
  private volatile String lastResourceVersion;
  // Never decreases: the highest revision this publisher wrote or found.
  private volatile long highWater = -1;

  /**
   * @param ratersHighestRevision the highest revision the track's raters in the region report
   *     having seen, live or rejected; -1 when none
   */
  public SnapshotPublisher(
      KubernetesClient client,
      String namespace,
      String region,
      LongSupplier ratersHighestRevision) {
    this.client = client;
    this.namespace = namespace;
    this.region = region;
    this.ratersHighestRevision = ratersHighestRevision;
  }

  public Result publish(SnapshotDocument rendered) {
    SnapshotDocument content = withRevision(rendered, 0);
    long ratersSaw = ratersHighestRevision.getAsLong();
    if (content.equals(lastKnown) && lastKnownRevision >= ratersSaw) {
      return new Result(false, lastKnownRevision, 0);
    }
    String name = ClusterLayout.snapshotConfigMapName(rendered.track());
    if (lastKnown != null && lastResourceVersion != null) {
      // The cluster holds what this publisher last wrote or read: write over it without reading
      // it again. A conflict means someone else wrote meanwhile; the read below sorts that out.
      long revision = Math.max(Math.max(lastKnownRevision, highWater), ratersSaw) + 1;
      byte[] json = SnapshotCodec.write(withRevision(rendered, revision));
      try {
        ConfigMap written =
            write(name, null, lastResourceVersion, rendered.track(), revision, json);
        remember(content, revision, written);
        logPublished(rendered, revision, json.length);
        return new Result(true, revision, json.length);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT
            && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
          throw e;
        }
        forget();
        return new Result(false, -1, 0, true);
      }
    }
    for (int attempt = 0; ; attempt++) {
      ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
      SnapshotDocument stored = read(current);
      if (stored != null
          && content.equals(withRevision(stored, 0))
          && stored.revision() >= ratersSaw
          && intact(current, stored)) {
        remember(content, stored.revision(), current);
        return new Result(false, stored.revision(), 0);
      }
      long revision =
          Math.max(
                  Math.max(
                      stored == null ? revisionAnnotation(current) : stored.revision(), highWater),
                  ratersSaw)
              + 1;
      byte[] json = SnapshotCodec.write(withRevision(rendered, revision));
      try {
        ConfigMap written = write(name, current, null, rendered.track(), revision, json);
        remember(content, revision, written);
        logPublished(rendered, revision, json.length);
        return new Result(true, revision, json.length);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
        // Someone else wrote it between our read and write: read again and recompute.
      }
    }
  }

  /**
   * The snapshot the region holds now, read from the cluster, or null when there is none or it
   * cannot be read: what a restarted operator carries tenants over from.
   */
  public SnapshotDocument current(String track) {
    ConfigMap current =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(ClusterLayout.snapshotConfigMapName(track))
            .get();
    SnapshotDocument stored = read(current);
    if (stored != null) {
      highWater = Math.max(highWater, stored.revision());
    }
    return stored;
  }

  /**
   * The watch saw the snapshot ConfigMap change or go: unless it is this publisher's own write,
   * what the cluster holds is no longer known.
   *
   * @return true when the change was someone else's and a publish should repair it
   */
  public boolean changedInCluster(ConfigMap seen, boolean deleted) {
    if (!deleted && Objects.equals(seen.getMetadata().getResourceVersion(), lastResourceVersion)) {
      return false;
    }
    forget();
    return true;
  }

  /** Forgets what the cluster holds, so the next publish reads it again. */
  public void forget() {
    lastKnown = null;
    lastKnownRevision = -1;
    lastResourceVersion = null;
  }

  /**
   * The revision last written or read, -1 before the first publish and whenever what the cluster
   * holds is not known.
   */
  public long lastRevision() {
    return lastKnownRevision;
  }

  private void remember(SnapshotDocument content, long revision, ConfigMap state) {
    lastKnown = content;
    lastKnownRevision = revision;
    lastResourceVersion = state == null ? null : state.getMetadata().getResourceVersion();
    highWater = Math.max(highWater, revision);
  }

  /** Labels and revision annotation as this publisher writes them. */
  private static boolean intact(ConfigMap current, SnapshotDocument stored) {
    Map<String, String> labels = current.getMetadata().getLabels();
    return labels != null
        && labels.entrySet().containsAll(ClusterLayout.snapshotLabels(stored.track()).entrySet())
        && revisionAnnotation(current) == stored.revision();
  }

  private void logPublished(SnapshotDocument rendered, long revision, int bytes) {
    LOG.atInfo()
        .addKeyValue("region", region)
        .addKeyValue("namespace", namespace)
        .addKeyValue("track", rendered.track())
        .addKeyValue("revision", revision)
        .addKeyValue("models", rendered.models().size())
        .addKeyValue("tenants", rendered.tenants().size())
        .addKeyValue("bytes", bytes)
        .log("snapshot published");
  }

  /**
   * Creates the ConfigMap, or updates it guarded by a resourceVersion: that of {@code current} as
   * read, or {@code knownVersion} when it was not read again (then it is rewritten whole).
   */
  private ConfigMap write(
      String name,
      ConfigMap current,
      String knownVersion,
      String track,
      long revision,
      byte[] json) {
    ClusterLayout.StoredSnapshot stored = ClusterLayout.store(json);
    ConfigMapBuilder builder =
        (current == null ? new ConfigMapBuilder() : new ConfigMapBuilder(current))
            .editOrNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(ClusterLayout.snapshotLabels(track))
            .addToAnnotations(ClusterLayout.ANNOTATION_REVISION, Long.toString(revision))
            .endMetadata()
            .withData(stored.data().isEmpty() ? null : stored.data())
            .withBinaryData(stored.binaryData().isEmpty() ? null : stored.binaryData());
    if (knownVersion != null) {
      builder.editMetadata().withResourceVersion(knownVersion).endMetadata();
    }
    ConfigMap desired = builder.build();
    if (current == null && knownVersion == null) {
      return client.configMaps().inNamespace(namespace).resource(desired).create();
    }
    // update() sends the resourceVersion: a concurrent write fails with 409.
    return client.configMaps().inNamespace(namespace).resource(desired).update();
  }

  private SnapshotDocument read(ConfigMap current) {
    if (current == null) {
      return null;
    }
    try {
      byte[] json = ClusterLayout.load(current.getData(), current.getBinaryData());
      return json == null ? null : SnapshotCodec.read(json);
    } catch (IOException | SnapshotException | IllegalArgumentException e) {
      LOG.atWarn()
          .addKeyValue("region", region)
          .addKeyValue("configMap", current.getMetadata().getName())
          .log("existing snapshot unreadable (edited by hand?); it will be replaced");
      return null;
    }
  }

  private static long revisionAnnotation(ConfigMap current) {
    if (current == null) {
      return 0;
    }
    Map<String, String> annotations = current.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(ClusterLayout.ANNOTATION_REVISION);
    try {
      return value == null ? 0 : Math.max(0, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static SnapshotDocument withRevision(SnapshotDocument doc, long revision) {
    return Objects.equals(doc.revision(), revision)
        ? doc
        : new SnapshotDocument(revision, doc.track(), doc.models(), doc.tenants(), doc.shadows());
  }
}
