package dev.clawrate.rater.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.contract.snapshot.ModelEntry;
import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.contract.snapshot.SnapshotDocument;
import dev.clawrate.contract.snapshot.TenantEntry;
import dev.clawrate.contract.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a track's snapshot as ConfigMaps exactly as the operator does (design contract 2, {@link
 * ClusterLayout}): each module in its own immutable ConfigMap first, the snapshot ConfigMap last.
 * The fluent API mirrors {@link ConfigDir}.
 */
public final class ClusterConfig {

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, ModelEntry> models = new LinkedHashMap<>();
  private final Map<String, TenantEntry> tenants = new LinkedHashMap<>();
  private long revision = 1;
  private String track = SnapshotCodec.TRACK_STABLE;

  public ClusterConfig(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Writes the module's ConfigMap unless it exists (they are immutable) and returns the digest. */
  public String addModule(byte[] bytes) {
    String digest = ModuleDigest.of(bytes);
    ConfigMap module =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(ClusterLayout.moduleConfigMapName(digest))
            .withNamespace(namespace)
            .withLabels(ClusterLayout.moduleLabels())
            .withAnnotations(Map.of(ClusterLayout.ANNOTATION_DIGEST, digest))
            .endMetadata()
            .withBinaryData(
                Map.of(ClusterLayout.MODULE_KEY, Base64.getEncoder().encodeToString(bytes)))
            .withImmutable(true)
            .build();
    if (client.configMaps().inNamespace(namespace).withName(module.getMetadata().getName()).get()
        == null) {
      client.configMaps().inNamespace(namespace).resource(module).create();
    }
    return digest;
  }

  /** A model under {@link Fixtures#UNHURRIED} limits. */
  public ClusterConfig model(String name, byte[] module) {
    models.put(name, new ModelEntry(addModule(module), "rate", Fixtures.UNHURRIED));
    return this;
  }

  /** A model entry whose digest is given, whether or not its module ConfigMap exists. */
  public ClusterConfig modelWithDigest(String name, String digest) {
    models.put(name, new ModelEntry(digest, "rate", Fixtures.UNHURRIED));
    return this;
  }

  public ClusterConfig tenant(String id, String model, double threshold) {
    return tenant(id, model, threshold, JsonNodeFactory.instance.objectNode());
  }

  public ClusterConfig tenant(String id, String model, double threshold, ObjectNode parameters) {
    tenants.put(id, new TenantEntry(model, threshold, parameters, List.of()));
    return this;
  }

  public ClusterConfig revision(long revision) {
    this.revision = revision;
    return this;
  }

  public ClusterConfig track(String track) {
    this.track = track;
    return this;
  }

  public long revision() {
    return revision;
  }

  /** The snapshot JSON of the current revision. */
  public byte[] snapshotJson() {
    return SnapshotCodec.write(new SnapshotDocument(revision, track, models, tenants));
  }

  /** Writes the snapshot ConfigMap with the current revision, then bumps it for next time. */
  public ClusterLayout.StoredSnapshot publish() {
    ClusterLayout.StoredSnapshot stored = ClusterLayout.store(snapshotJson());
    writeSnapshot(stored);
    revision++;
    return stored;
  }

  /** Creates or replaces the track's snapshot ConfigMap with exactly this content. */
  public void writeSnapshot(ClusterLayout.StoredSnapshot stored) {
    ConfigMap snapshot =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(ClusterLayout.snapshotConfigMapName(track))
            .withNamespace(namespace)
            .withLabels(ClusterLayout.snapshotLabels(track))
            .withAnnotations(Map.of(ClusterLayout.ANNOTATION_REVISION, Long.toString(revision)))
            .endMetadata()
            .withData(stored.data())
            .withBinaryData(stored.binaryData())
            .build();
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(snapshot)
        .createOr(NonDeletingOperation::update);
  }
}
