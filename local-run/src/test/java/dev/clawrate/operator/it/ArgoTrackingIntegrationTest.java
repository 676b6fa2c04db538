package dev.clawrate.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.api.RatingModelSpec;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.status.ConditionSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resources synced by Argo CD carry its tracking label (app.kubernetes.io/instance) or annotation
 * (argocd.argoproj.io/tracking-id). The operator's own objects must not: Argo CD would count them
 * as the Application's, show them as out of sync (they are in no Git folder) and prune them, which
 * deletes the snapshot every rater serves. Nor does the operator write a spec Argo CD compares.
 */
class ArgoTrackingIntegrationTest {

  private static final String INSTANCE = "app.kubernetes.io/instance";
  private static final String TRACKING_ID = "argocd.argoproj.io/tracking-id";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path stateDir;
  private OperatorHarness region;

  @BeforeEach
  void start() {
    region = new OperatorHarness(stateDir);
  }

  @AfterEach
  void stop() {
    region.close();
  }

  private static ObjectMeta trackedBy(String application, String kind, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(OperatorHarness.NS)
        .withLabels(Map.of(INSTANCE, application, "team", "rating"))
        .withAnnotations(
            Map.of(
                TRACKING_ID,
                application + ":clawrate.dev/" + kind + ":" + OperatorHarness.NS + "/" + name,
                "argocd.argoproj.io/sync-wave",
                "1"))
        .build();
  }

  @Test
  void theOperatorsObjectsNeverCarryArgoCdTrackingAndSpecsStayAsApplied() throws Exception {
    RatingModel model = new RatingModel();
    model.setMetadata(trackedBy("clawrate-resources", "RatingModel", "scorer"));
    RatingModelSpec modelSpec = new RatingModelSpec();
    modelSpec.setModule(OperatorHarness.inline(Fixtures.module("constant-a")));
    model.setSpec(modelSpec);
    // As stored: the API server fills in the schema's defaults, which Argo CD's diff expects.
    RatingModel appliedModel = region.client().resource(model).create();
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(trackedBy("clawrate-resources", "TenantConfig", "acme-bank"));
    TenantConfigSpec tenantSpec = new TenantConfigSpec();
    tenantSpec.setModelRef(new ModelRef("scorer"));
    tenantSpec.setThreshold(600.0);
    tenant.setSpec(tenantSpec);
    TenantConfig applied = region.client().resource(tenant).create();

    Await.until(
        "the tenant is served and reports Ready",
        () -> {
          TenantConfig now = region.tenant("acme-bank");
          return now.getStatus() != null
              && ConditionSet.isTrue(now.getStatus().getConditions(), ClawrateApi.READY);
        });

    List<HasMetadata> written = new ArrayList<>();
    written.addAll(region.client().configMaps().inNamespace(OperatorHarness.NS).list().getItems());
    written.addAll(region.client().leases().inNamespace(OperatorHarness.NS).list().getItems());
    written.addAll(region.client().v1().events().inNamespace(OperatorHarness.NS).list().getItems());
    assertTrue(
        written.stream().anyMatch(o -> o.getMetadata().getName().startsWith("clawrate-snapshot-")),
        "the snapshot was published");
    assertTrue(
        written.stream().anyMatch(o -> o.getMetadata().getName().startsWith("clawrate-model-")),
        "the module was published");
    for (HasMetadata object : written) {
      String what = object.getKind() + " " + object.getMetadata().getName();
      Map<String, String> labels = orEmpty(object.getMetadata().getLabels());
      Map<String, String> annotations = orEmpty(object.getMetadata().getAnnotations());
      assertFalse(labels.containsKey(INSTANCE), what + " carries Argo CD's tracking label");
      assertFalse(labels.containsKey("team"), what + " copied a custom resource's label");
      assertFalse(
          annotations.keySet().stream().anyMatch(k -> k.startsWith("argocd.argoproj.io/")),
          what + " carries an Argo CD annotation");
    }

    RatingModel storedModel = region.model("scorer");
    TenantConfig storedTenant = region.tenant("acme-bank");
    assertEquals(JSON.valueToTree(appliedModel.getSpec()), JSON.valueToTree(storedModel.getSpec()));
    assertEquals(JSON.valueToTree(applied.getSpec()), JSON.valueToTree(storedTenant.getSpec()));
    assertEquals(model.getMetadata().getLabels(), storedModel.getMetadata().getLabels());
    assertEquals(model.getMetadata().getAnnotations(), storedModel.getMetadata().getAnnotations());
    assertEquals(
        List.of(ClawrateApi.IN_USE_FINALIZER),
        storedModel.getMetadata().getFinalizers(),
        "the finalizer is the one metadata field the operator adds");
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
