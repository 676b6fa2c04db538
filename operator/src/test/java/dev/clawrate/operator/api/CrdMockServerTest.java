package dev.clawrate.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated CRDs load into fabric8's mock API server in CRUD mode, and the custom resources
 * round-trip through it with a working status subresource: the set-up every integration test of the
 * operator builds on.
 */
class CrdMockServerTest {

  private static final String NS = "team-a";

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void startServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    // The classpath holds three HTTP client factories (JDK, Vert.x via the mock, OkHttp); name
    // the one the operator uses instead of letting fabric8 pick one at random.
    client = server.createClient(new OkHttpClientFactory());
    client.resource(Crds.ratingModels()).create();
    client.resource(Crds.tenantConfigs()).create();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void ratingModelRoundTripsWithStatusSubresource() {
    RatingModel created = client.resource(ratingModel("scorecard")).create();
    assertNotNull(created.getMetadata().getResourceVersion());
    assertNull(created.getStatus());

    // updateStatus writes only status, with optimistic locking on resourceVersion.
    RatingModel fetched =
        client.resources(RatingModel.class).inNamespace(NS).withName("scorecard").get();
    RatingModelStatus status = new RatingModelStatus();
    status.setObservedGeneration(fetched.getMetadata().getGeneration());
    status.setDigest("sha256:" + "ab".repeat(32));
    status.setSizeBytes(8L);
    status.setExports(List.of("memory", "alloc", "rate"));
    status.setConditions(List.of(condition(ClawrateApi.READY, "True")));
    status.setRegions(
        List.of(
            new RegionStatus("local", status.getDigest(), 3L, true, "2026-01-01T00:00:00Z", null)));
    status.setRegionsSynced("1/1");
    fetched.setStatus(status);
    RatingModel updated = client.resource(fetched).updateStatus();
    assertNotEquals(
        fetched.getMetadata().getResourceVersion(), updated.getMetadata().getResourceVersion());

    RatingModel afterUpdate = get("scorecard");
    assertEquals("sha256:" + "ab".repeat(32), afterUpdate.getStatus().getDigest());
    assertEquals("1/1", afterUpdate.getStatus().getRegionsSynced());
    assertEquals(3L, afterUpdate.getStatus().getRegions().get(0).getRevision());
    assertEquals("True", afterUpdate.getStatus().getConditions().get(0).getStatus());
    assertEquals("AGFzbQEAAAA=", afterUpdate.getSpec().getModule().getInline());

    // patchStatus (JSON merge patch of the status stanza) works too.
    afterUpdate.getStatus().setMessage("published to 1/1 regions");
    client.resource(afterUpdate).patchStatus();
    assertEquals("published to 1/1 regions", get("scorecard").getStatus().getMessage());

    // A spec update through the main resource keeps the status the operator wrote.
    RatingModel edited = get("scorecard");
    edited.getSpec().setEntrypoint("rate_v2");
    edited.setStatus(null);
    client.resource(edited).update();
    RatingModel afterSpecEdit = get("scorecard");
    assertEquals("rate_v2", afterSpecEdit.getSpec().getEntrypoint());
    assertEquals("published to 1/1 regions", afterSpecEdit.getStatus().getMessage());
  }

  @Test
  void tenantConfigRoundTripsParametersAndStatus() throws Exception {
    JsonNode parameters =
        Serialization.jsonMapper()
            .readTree(
                "{\"weights\":{\"income\":0.4,\"debt\":-0.7},\"floor\":300,\"tags\":[\"a\"]}");
    TenantConfigSpec spec = new TenantConfigSpec();
    spec.setModelRef(new ModelRef("scorecard"));
    spec.setThreshold(620.5);
    spec.setParameters(parameters);
    spec.setAuth(new TenantAuth(List.of("0".repeat(64))));
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withName("acme").withNamespace(NS).build());
    tenant.setSpec(spec);
    client.resource(tenant).create();

    TenantConfig fetched =
        client.resources(TenantConfig.class).inNamespace(NS).withName("acme").get();
    assertEquals(parameters, fetched.getSpec().getParameters());
    assertEquals(620.5, fetched.getSpec().getThreshold());
    assertEquals("acme", fetched.tenantId());

    TenantConfigStatus status = new TenantConfigStatus();
    status.setModel("scorecard");
    status.setDigest("sha256:" + "cd".repeat(32));
    status.setConditions(List.of(condition(ClawrateApi.MODEL_RESOLVED, "True")));
    status.setRegionsSynced("0/1");
    fetched.setStatus(status);
    client.resource(fetched).updateStatus();

    TenantConfig afterUpdate =
        client.resources(TenantConfig.class).inNamespace(NS).withName("acme").get();
    assertEquals("scorecard", afterUpdate.getStatus().getModel());
    assertEquals(parameters, afterUpdate.getSpec().getParameters());
  }

  private RatingModel get(String name) {
    return client.resources(RatingModel.class).inNamespace(NS).withName(name).get();
  }

  private static RatingModel ratingModel(String name) {
    ModuleSource module = new ModuleSource();
    // The 8-byte header of an empty Wasm module: enough for a CRUD round trip.
    module.setInline(Base64.getEncoder().encodeToString(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}));
    RatingModelSpec spec = new RatingModelSpec();
    spec.setModule(module);
    spec.setLimits(new ModelLimitsSpec(256, 50, 65_536));
    RatingModel model = new RatingModel();
    model.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    model.setSpec(spec);
    return model;
  }

  private static Condition condition(String type, String value) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason("Test")
        .withMessage("set by the test")
        .withLastTransitionTime("2026-01-01T00:00:00Z")
        .build();
  }
}
