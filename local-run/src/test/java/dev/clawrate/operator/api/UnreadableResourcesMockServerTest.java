package dev.clawrate.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.local.LocalCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Objects the typed classes cannot express, stored in the mock API server with validation off (as a
 * cluster keeps objects written before its CRDs' current schema): the client lists, watches and
 * writes them without failing, and never loses what the user wrote.
 */
class UnreadableResourcesMockServerTest {

  private static final String NS = "team-b";

  private LocalCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    cluster = LocalCluster.startUnvalidated(0);
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void createRaw(String kind, String name, String spec) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(
            "{\"apiVersion\":\"clawrate.dev/v1alpha1\",\"kind\":\""
                + kind
                + "\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + NS
                + "\"},\"spec\":"
                + spec
                + "}",
            GenericKubernetesResource.class);
    client.resource(resource).create();
  }

  private JsonNode storedSpec(String kind, String name) {
    GenericKubernetesResource stored =
        client
            .genericKubernetesResources(ClawrateApi.API_VERSION, kind)
            .inNamespace(NS)
            .withName(name)
            .get();
    return Serialization.jsonMapper().valueToTree(stored.getAdditionalProperties().get("spec"));
  }

  private static JsonNode tree(String json) throws Exception {
    return Serialization.jsonMapper().readTree(json);
  }

  @Test
  void anInformerListsAndWatchesUnreadableObjectsAndKeepsRunning() {
    createRaw("TenantConfig", "before", "{\"threshold\":\"abc\"}");
    SharedIndexInformer<TenantConfig> informer =
        client.resources(TenantConfig.class).inAnyNamespace().inform();
    try {
      createRaw("TenantConfig", "after", "{\"modelRef\":{\"name\":\"m\"},\"futureField\":1}");
      createRaw("TenantConfig", "good", "{\"modelRef\":{\"name\":\"m\"},\"threshold\":1}");
      Map<String, TenantConfig> seen =
          Await.value(
              "the informer holds all three",
              () ->
                  informer.getStore().list().stream()
                      .collect(
                          Collectors.toMap(t -> t.getMetadata().getName(), Function.identity())),
              byName -> byName.size() == 3);
      assertTrue(informer.isRunning());
      assertEquals("spec.threshold must be a number", seen.get("before").specProblem());
      assertEquals(
          "spec.futureField" + ReadProblems.UNKNOWN_FIELD, seen.get("after").specProblem());
      assertNull(seen.get("good").specProblem());
      assertEquals(1.0, seen.get("good").getSpec().getThreshold());
    } finally {
      informer.close();
    }
  }

  @Test
  void writingAnUnreadableObjectKeepsTheSpecAsTheUserWroteIt() throws Exception {
    String spec = "{\"module\":[],\"futureField\":{\"a\":[1,2]}}";
    createRaw("RatingModel", "bad", spec);
    RatingModel model = client.resources(RatingModel.class).inNamespace(NS).withName("bad").get();
    assertEquals("spec.module must be an object", model.specProblem());

    RatingModelStatus status = new RatingModelStatus();
    status.setMessage("refused");
    RatingModel copy = client.getKubernetesSerialization().clone(model);
    copy.setStatus(status);
    RatingModel afterStatus = client.resource(copy).updateStatus();
    assertEquals("refused", afterStatus.getStatus().getMessage());
    assertEquals(model.specProblem(), afterStatus.specProblem());
    assertEquals(tree(spec), storedSpec("RatingModel", "bad"));

    // A whole-object update sends the spec too: it goes back as it was read.
    afterStatus.getMetadata().setLabels(Map.of("edited", "yes"));
    client.resource(afterStatus).update();
    assertEquals(tree(spec), storedSpec("RatingModel", "bad"));
  }
}
