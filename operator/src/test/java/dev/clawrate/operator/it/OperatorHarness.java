package dev.clawrate.operator.it;

import dev.clawrate.operator.ClawrateOperator;
import dev.clawrate.operator.OperatorSettings;
import dev.clawrate.operator.api.ConfigMapKeyRef;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.local.LocalCluster;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.rater.RaterMain;
import dev.clawrate.rater.testing.RaterClient;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A region for integration tests: the mock API server with the CRDs, the real operator, and a real
 * stable rater in cluster mode serving HTTP, all in this JVM.
 */
final class OperatorHarness implements AutoCloseable {

  static final String NS = LocalCluster.NAMESPACE;

  private final LocalCluster cluster;
  private final Path stateDir;
  private final OperatorSettings settings;
  private ClawrateOperator operator;
  private RaterMain rater;

  OperatorHarness(Path stateDir) {
    this(stateDir, OperatorSettings.defaults(NS));
  }

  OperatorHarness(Path stateDir, OperatorSettings settings) {
    this.cluster = LocalCluster.start(0);
    this.stateDir = stateDir;
    this.settings = settings;
    startOperator();
    rater = startRater(cluster.url());
  }

  void startOperator() {
    operator =
        new ClawrateOperator(
            cluster.newClient(),
            settings,
            new SimpleMeterRegistry(),
            ModuleFetcher.defaultHttpClient());
    operator.start();
  }

  void stopOperator() {
    operator.close();
    operator.client().close();
  }

  /** A rater of this region; its state dir is shared with every rater this harness starts. */
  RaterMain startRater(String apiUrl) {
    try {
      return LocalCluster.startRater(
          LocalCluster.clientOf(apiUrl), 0, stateDir, "--kube-sync-timeout-seconds", "2");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  KubernetesClient client() {
    return cluster.client();
  }

  LocalCluster cluster() {
    return cluster;
  }

  ClawrateOperator operator() {
    return operator;
  }

  RaterMain rater() {
    return rater;
  }

  RaterClient raterClient() {
    return new RaterClient(rater.port());
  }

  RatingModel applyModel(String name, byte[] module) {
    ModuleSource source = new ModuleSource();
    source.setInline(Base64.getEncoder().encodeToString(module));
    return applyModel(name, source);
  }

  RatingModel applyModel(String name, ModuleSource source) {
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    RatingModelSpec spec = new RatingModelSpec();
    spec.setModule(source);
    model.setSpec(spec);
    var resource = client().resources(RatingModel.class).inNamespace(NS).withName(name);
    if (resource.get() == null) {
      return client().resource(model).create();
    }
    return updateSpec(resource, existing -> existing.setSpec(spec));
  }

  static ModuleSource fromConfigMap(String name, String key) {
    ModuleSource source = new ModuleSource();
    source.setConfigMapKeyRef(new ConfigMapKeyRef(name, key));
    return source;
  }

  TenantConfig applyTenant(String name, String model, double threshold) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef(model));
    spec.setThreshold(threshold);
    tenant.setSpec(spec);
    var resource = client().resources(TenantConfig.class).inNamespace(NS).withName(name);
    if (resource.get() == null) {
      return client().resource(tenant).create();
    }
    return updateSpec(resource, existing -> existing.setSpec(spec));
  }

  RatingModel model(String name) {
    return client().resources(RatingModel.class).inNamespace(NS).withName(name).get();
  }

  TenantConfig tenant(String name) {
    return client().resources(TenantConfig.class).inNamespace(NS).withName(name).get();
  }

  static Duration timeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * Read, change, update with the resourceVersion read, and again on a conflict: what kubectl edit
   * does while the operator writes status.
   */
  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T updateSpec(
      io.fabric8.kubernetes.client.dsl.Resource<T> resource,
      java.util.function.Consumer<T> change) {
    for (int attempt = 0; ; attempt++) {
      T existing = resource.get();
      change.accept(existing);
      try {
        return client().resource(existing).update();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    if (rater != null) {
      rater.close();
    }
    stopOperator();
    cluster.close();
  }
}
