package dev.clawrate.contract.snapshot;

import dev.clawrate.contract.engine.ModuleDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a snapshot is laid out as ConfigMaps in a region's rater namespace (design contract 2):
 * names, keys, labels and annotations that the operator writes and raters read. Free of any
 * Kubernetes client type so both sides, and pure tests, share it.
 */
public final class ClusterLayout {

  public static final String MODULE_PREFIX = "clawrate-model-";
  public static final String SNAPSHOT_PREFIX = "clawrate-snapshot-";

  /** binaryData key of a module ConfigMap. */
  public static final String MODULE_KEY = "module.wasm";

  /** data key of a snapshot ConfigMap holding plain JSON. */
  public static final String SNAPSHOT_KEY = "snapshot.json";

  /** binaryData key of a snapshot ConfigMap holding gzipped JSON (large snapshots). */
  public static final String SNAPSHOT_GZIP_KEY = "snapshot.json.gz";

  /**
   * Snapshots up to this size are stored as plain JSON, readable with kubectl; larger ones are
   * gzipped, which keeps 10,000 tenants well inside the 1 MiB a ConfigMap may hold.
   */
  public static final int PLAIN_SNAPSHOT_MAX_BYTES = 256 * 1024;

  public static final String ANNOTATION_DIGEST = "clawrate.dev/digest";
  public static final String ANNOTATION_REVISION = "clawrate.dev/revision";

  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_TRACK = "clawrate.dev/track";

  public static final String PART_OF = "clawrate";
  public static final String MANAGED_BY = "clawrate-operator";
  public static final String COMPONENT_MODULE = "model-module";
  public static final String COMPONENT_SNAPSHOT = "config-snapshot";

  private ClusterLayout() {}

  /** {@code clawrate-model-<first 12 hex of the sha256>}. */
  public static String moduleConfigMapName(String digest) {
    return MODULE_PREFIX + ModuleDigest.hex(digest).substring(0, 12);
  }

  public static String snapshotConfigMapName(String track) {
    return SNAPSHOT_PREFIX + track;
  }

  /** Labels on every module ConfigMap. */
  public static Map<String, String> moduleLabels() {
    return Map.of(
        LABEL_NAME, PART_OF,
        LABEL_PART_OF, PART_OF,
        LABEL_MANAGED_BY, MANAGED_BY,
        LABEL_COMPONENT, COMPONENT_MODULE);
  }

  /** Labels on a track's snapshot ConfigMap. */
  public static Map<String, String> snapshotLabels(String track) {
    return Map.of(
        LABEL_NAME, PART_OF,
        LABEL_PART_OF, PART_OF,
        LABEL_MANAGED_BY, MANAGED_BY,
        LABEL_COMPONENT, COMPONENT_SNAPSHOT,
        LABEL_TRACK, track);
  }

  /** The snapshot's stored form: exactly one of the two maps is non-empty. */
  public record StoredSnapshot(Map<String, String> data, Map<String, String> binaryData) {}

  public static StoredSnapshot store(byte[] snapshotJson) {
    if (snapshotJson.length <= PLAIN_SNAPSHOT_MAX_BYTES) {
      return new StoredSnapshot(
          Map.of(SNAPSHOT_KEY, new String(snapshotJson, java.nio.charset.StandardCharsets.UTF_8)),
          Map.of());
    }
    return new StoredSnapshot(
        Map.of(),
        Map.of(SNAPSHOT_GZIP_KEY, Base64.getEncoder().encodeToString(gzip(snapshotJson))));
  }

  /**
   * The snapshot JSON in a snapshot ConfigMap's data or binaryData (base64, as the API gives it),
   * or null when it holds neither key.
   */
  public static byte[] load(Map<String, String> data, Map<String, String> binaryData)
      throws IOException {
    if (binaryData != null && binaryData.containsKey(SNAPSHOT_GZIP_KEY)) {
      byte[] compressed;
      try {
        compressed = Base64.getDecoder().decode(binaryData.get(SNAPSHOT_GZIP_KEY));
      } catch (IllegalArgumentException e) {
        // The decoder's message quotes the offending character.
        throw new IOException("binaryData " + SNAPSHOT_GZIP_KEY + " is not valid base64");
      }
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
        return in.readNBytes(SnapshotCodec.MAX_SNAPSHOT_BYTES);
      }
    }
    if (data != null && data.containsKey(SNAPSHOT_KEY)) {
      return data.get(SNAPSHOT_KEY).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }

  private static byte[] gzip(byte[] bytes) {
    var out = new ByteArrayOutputStream(bytes.length / 8);
    try (var gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory gzip cannot fail", e);
    }
    return out.toByteArray();
  }
}
