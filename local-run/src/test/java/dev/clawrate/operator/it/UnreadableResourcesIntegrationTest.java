package dev.clawrate.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.status.ConditionSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects the operator cannot read, in another namespace of an API server that validates nothing
 * (as a cluster keeps objects written before its CRDs' current schema), present when the operator
 * starts and created while it runs: the operator keeps running, marks them, and goes on serving and
 * publishing everyone else.
 */
class UnreadableResourcesIntegrationTest {

  private static final String OTHER_NS = "team-b";
  private static final String BODY = "{\"applicantId\":\"A-1\"}";
  private static final byte[] MODULE = Fixtures.module("constant-a");

  @TempDir Path stateDir;
  private OperatorHarness region;

  @BeforeEach
  void start() {
    region =
        new OperatorHarness(LocalCluster.startUnvalidated(0), stateDir, OperatorHarness.settings());
  }

  @AfterEach
  void stop() {
    region.close();
  }

  private void createRaw(String kind, String name, String spec) {
    region
        .client()
        .resource(
            Serialization.unmarshal(
                "{\"apiVersion\":\"clawrate.dev/v1alpha1\",\"kind\":\""
                    + kind
                    + "\",\"metadata\":{\"name\":\""
                    + name
                    + "\",\"namespace\":\""
                    + OTHER_NS
                    + "\"},\"spec\":"
                    + spec
                    + "}",
                GenericKubernetesResource.class))
        .create();
  }

  private void awaitServed(String tenant) {
    Await.value(
        tenant + " is served",
        () -> region.raterClient().rate(tenant, BODY),
        a -> a.status() == 200 && a.json().get("digest").asText().equals(ModuleDigest.of(MODULE)));
  }

  private void awaitReady(String tenant) {
    Await.until(
        tenant + " reports Ready",
        () -> {
          var t = region.tenant(tenant);
          return t.getStatus() != null
              && ConditionSet.isTrue(t.getStatus().getConditions(), ClawrateApi.READY);
        });
  }

  /** Waits for the operator to mark the object Ready=False InvalidSpec, the problem as message. */
  private void awaitInvalidSpec(String kind, String name, String problem) {
    JsonNode ready =
        Await.value(
            kind + " " + name + " reports InvalidSpec",
            () -> readyCondition(stored(kind, name)),
            c -> "InvalidSpec".equals(c.path("reason").asText()));
    assertEquals("False", ready.get("status").asText());
    assertEquals(problem, ready.get("message").asText());
  }

  private static JsonNode readyCondition(JsonNode resource) {
    for (JsonNode condition : resource.path("status").path("conditions")) {
      if (ClawrateApi.READY.equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return Serialization.jsonMapper().createObjectNode();
  }

  private JsonNode stored(String kind, String name) {
    return Serialization.jsonMapper()
        .valueToTree(
            region
                .client()
                .genericKubernetesResources(ClawrateApi.API_VERSION, kind)
                .inNamespace(OTHER_NS)
                .withName(name)
                .get());
  }

  @Test
  void unreadableObjectsBeforeAndAfterStartStopNothing() throws Exception {
    region.stopOperator();
    createRaw("TenantConfig", "typo", "{\"modelRef\":{\"name\":\"scorer\"},\"threshold\":\"abc\"}");
    createRaw("RatingModel", "newer", "{\"module\":{\"inline\":\"AA==\"},\"futureField\":1}");
    region.applyModel("scorer", MODULE);
    region.applyTenant("acme-bank", "scorer", 600);
    region.startOperator();

    awaitServed("acme-bank");
    awaitReady("acme-bank");
    awaitInvalidSpec("TenantConfig", "typo", "spec.threshold must be a number");
    awaitInvalidSpec(
        "RatingModel",
        "newer",
        "spec.futureField is not a field this operator knows (the CRD may be newer than the"
            + " operator)");

    String nested = "{\"module\":{\"inline\":\"AA==\"},\"limits\":{\"timeoutMillis\":\"x\"}}";
    createRaw("RatingModel", "nested", nested);
    createRaw("TenantConfig", "list", "{\"modelRef\":[],\"threshold\":1}");
    region.applyTenant("late-bank", "scorer", 600);

    awaitServed("late-bank");
    awaitReady("late-bank");
    awaitInvalidSpec("RatingModel", "nested", "spec.limits.timeoutMillis must be a whole number");
    awaitInvalidSpec("TenantConfig", "list", "spec.modelRef must be an object");
    assertEquals(
        Serialization.jsonMapper().readTree(nested), stored("RatingModel", "nested").get("spec"));
    awaitServed("acme-bank");
  }

  @Test
  void anUnreadableStatusIsRewritten() {
    region.applyModel("scorer", MODULE);
    region.applyTenant("acme-bank", "scorer", 600);
    awaitServed("acme-bank");

    var models =
        region
            .client()
            .genericKubernetesResources(ClawrateApi.API_VERSION, "RatingModel")
            .inNamespace(OperatorHarness.NS);
    GenericKubernetesResource stored = models.withName("scorer").get();
    stored.setAdditionalProperty("status", Map.of("digest", List.of(1), "futureField", true));
    String corrupted = models.resource(stored).updateStatus().getMetadata().getResourceVersion();

    RatingModel rewritten =
        Await.value(
            "the operator rewrites the status",
            () -> region.model("scorer"),
            m ->
                !m.getMetadata().getResourceVersion().equals(corrupted)
                    && m.statusProblem() == null
                    && m.getStatus() != null);
    assertEquals(ModuleDigest.of(MODULE), rewritten.getStatus().getDigest());
    awaitServed("acme-bank");
  }
}
