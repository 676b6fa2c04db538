package dev.clawrate.operator.publish;

import dev.clawrate.rater.snapshot.ClusterLayout;
import dev.clawrate.rater.snapshot.SnapshotCodec;
import dev.clawrate.rater.snapshot.SnapshotDocument;
import dev.clawrate.rater.snapshot.SnapshotException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a track's snapshot pointer, {@code clawrate-snapshot-<track>}, into one region's rater
 * namespace, only when its content changed, with the next revision. It is written with an update
 * guarded by resourceVersion (optimistic locking; the mock API server has no server-side apply), so
 * two operators can never interleave revisions.
 */
public final class SnapshotPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
  private static final int MAX_CONFLICT_RETRIES = 5;

  /** What a publish did. */
  public record Result(boolean written, long revision, int bytes) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String region;
  // The document last seen in the cluster (revision zeroed), so an unchanged world costs no
  // request at all; null until the first publish reads the cluster.
  private volatile SnapshotDocument lastKnown;
  private volatile long lastKnownRevision = -1;

  public SnapshotPublisher(KubernetesClient client, String namespace, String region) {
    this.client = client;
    this.namespace = namespace;
    this.region = region;
  }

  public Result publish(SnapshotDocument rendered) {
    SnapshotDocument content = withRevision(rendered, 0);
    if (content.equals(lastKnown)) {
      return new Result(false, lastKnownRevision, 0);
    }
    String name = ClusterLayout.snapshotConfigMapName(rendered.track());
    for (int attempt = 0; ; attempt++) {
      ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
      Stored stored = read(current);
      if (stored != null && content.equals(withRevision(stored.document, 0))) {
        remember(content, stored.document.revision());
        return new Result(false, stored.document.revision(), 0);
      }
      long revision =
          (stored == null ? revisionAnnotation(current) : stored.document.revision()) + 1;
      byte[] json = SnapshotCodec.write(withRevision(rendered, revision));
      try {
        write(name, current, rendered.track(), revision, json);
        remember(content, revision);
        LOG.atInfo()
            .addKeyValue("region", region)
            .addKeyValue("namespace", namespace)
            .addKeyValue("track", rendered.track())
            .addKeyValue("revision", revision)
            .addKeyValue("models", rendered.models().size())
            .addKeyValue("tenants", rendered.tenants().size())
            .addKeyValue("bytes", json.length)
            .log("snapshot published");
        return new Result(true, revision, json.length);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
        // Someone else wrote it between our read and write: read again and recompute.
      }
    }
  }

  /** Forgets what the cluster holds, so the next publish reads it again. */
  public void forget() {
    lastKnown = null;
    lastKnownRevision = -1;
  }

  public long lastRevision() {
    return lastKnownRevision;
  }

  private void remember(SnapshotDocument content, long revision) {
    lastKnown = content;
    lastKnownRevision = revision;
  }

  private void write(String name, ConfigMap current, String track, long revision, byte[] json) {
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
    ConfigMap desired = builder.build();
    if (current == null) {
      client.configMaps().inNamespace(namespace).resource(desired).create();
    } else {
      // update() sends the resourceVersion read above: a concurrent write fails with 409.
      client.configMaps().inNamespace(namespace).resource(desired).update();
    }
  }

  private record Stored(SnapshotDocument document) {}

  private Stored read(ConfigMap current) {
    if (current == null) {
      return null;
    }
    try {
      byte[] json = ClusterLayout.load(current.getData(), current.getBinaryData());
      return json == null ? null : new Stored(SnapshotCodec.read(json));
    } catch (IOException | SnapshotException | IllegalArgumentException e) {
      LOG.atWarn()
          .addKeyValue("region", region)
          .addKeyValue("configMap", current.getMetadata().getName())
          .addKeyValue("error", e.getMessage())
          .log("existing snapshot unreadable; it will be replaced");
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
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static SnapshotDocument withRevision(SnapshotDocument doc, long revision) {
    return Objects.equals(doc.revision(), revision)
        ? doc
        : new SnapshotDocument(revision, doc.track(), doc.models(), doc.tenants());
  }
}
