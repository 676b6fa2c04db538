package dev.clawrate.operator.tenancy;

import dev.clawrate.contract.snapshot.ClusterLayout;
import dev.clawrate.operator.kube.Informers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link Claims} in a ConfigMap of the operator's namespace, {@code clawrate-claims}, where a
 * restart or a leader change cannot lose them and tenants (who have no access to that namespace)
 * cannot edit them. The operator only ever adds claims, each before the snapshot that publishes the
 * name; the platform admin moves a claim by editing its value and releases one by removing its key,
 * and the operator follows the edit at once. Deleting the ConfigMap releases every claim.
 */
public final class ClaimStore implements AutoCloseable {

  public static final String NAME = "clawrate-claims";
  private static final Logger LOG = LoggerFactory.getLogger(ClaimStore.class);
  private static final int MAX_CONFLICT_RETRIES = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<ConfigMap> informer;
  // The resourceVersion whose malformed entries were last reported, to report them once.
  private volatile String reportedVersion;

  /**
   * @param onChange told when the ConfigMap changes (an admin's edit takes effect at once)
   */
  public ClaimStore(KubernetesClient client, String namespace, Runnable onChange) {
    this.client = client;
    this.namespace = namespace;
    this.informer = client.configMaps().inNamespace(namespace).withName(NAME).runnableInformer(0);
    Informers.retryForever(informer, "the claims ConfigMap", null);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap obj) {
            onChange.run();
          }

          @Override
          public void onUpdate(ConfigMap before, ConfigMap after) {
            onChange.run();
          }

          @Override
          public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            onChange.run();
          }
        });
  }

  public void start() {
    informer.start();
  }

  public boolean synced() {
    return informer.hasSynced();
  }

  /** The claims as the cache holds them; none before the ConfigMap exists. */
  public Claims current() {
    return read(cached()).claims();
  }

  /**
   * Adds {@code wanted}'s claims that nobody holds yet, guarded by resourceVersion; an edit made
   * meanwhile is read again and kept, never overwritten.
   *
   * @return the claims stored afterwards
   */
  public Claims record(Claims wanted) {
    ConfigMap current = cached();
    for (int attempt = 0; ; attempt++) {
      Claims stored = read(current).claims();
      Claims merged = stored.plus(wanted);
      if (!stored.lacksAnyOf(merged)) {
        return stored;
      }
      try {
        write(current, merged);
        LOG.atInfo()
            .addKeyValue("tenantIds", merged.tenants().size() - stored.tenants().size())
            .addKeyValue("modelNames", merged.models().size() - stored.models().size())
            .log("names claimed");
        return merged;
      } catch (KubernetesClientException e) {
        int code = e.getCode();
        if ((code != HttpURLConnection.HTTP_CONFLICT && code != HttpURLConnection.HTTP_NOT_FOUND)
            || attempt >= MAX_CONFLICT_RETRIES) {
          throw e;
        }
        current = client.configMaps().inNamespace(namespace).withName(NAME).get();
      }
    }
  }

  private void write(ConfigMap current, Claims claims) {
    Map<String, String> data = ClaimsCodec.write(claims);
    if (current == null) {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(NAME)
                  .withNamespace(namespace)
                  .withLabels(labels())
                  .endMetadata()
                  .withData(data)
                  .build())
          .create();
      return;
    }
    // Entries the codec could not read stay as the admin left them.
    Map<String, String> kept =
        new HashMap<>(current.getData() == null ? Map.of() : current.getData());
    kept.putAll(data);
    ConfigMap updated = new ConfigMapBuilder(current).withData(kept).build();
    client.configMaps().inNamespace(namespace).resource(updated).update();
  }

  private ClaimsCodec.Read read(ConfigMap configMap) {
    ClaimsCodec.Read read = ClaimsCodec.read(configMap == null ? null : configMap.getData());
    String version = configMap == null ? null : configMap.getMetadata().getResourceVersion();
    if (read.malformed() > 0 && !Objects.equals(version, reportedVersion)) {
      reportedVersion = version;
      LOG.atWarn()
          .addKeyValue("configMap", namespace + "/" + NAME)
          .addKeyValue("malformedEntries", read.malformed())
          .log("claims entries that are not tenant.<id> or model.<name> = <namespace> are ignored");
    }
    return read;
  }

  private ConfigMap cached() {
    return informer.getStore().list().stream().findFirst().orElse(null);
  }

  private static Map<String, String> labels() {
    return Map.of(
        ClusterLayout.LABEL_NAME,
        ClusterLayout.PART_OF,
        ClusterLayout.LABEL_MANAGED_BY,
        ClusterLayout.MANAGED_BY,
        ClusterLayout.LABEL_COMPONENT,
        "tenancy-claims");
  }

  @Override
  public void close() {
    informer.close();
  }
}
