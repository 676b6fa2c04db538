package dev.clawrate.local.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.kube.MetadataList;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A list asked for in the metadata-only form is answered as the API server does: a
 * PartialObjectMetadataList of the selected objects' metadata, without their data.
 */
class PartialMetadataListTest {

  private static final String NS = "partial-metadata";
  private static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start(0);
    KubernetesClient client = cluster.client();
    for (String name : List.of("big-one", "big-two", "other")) {
      client
          .configMaps()
          .inNamespace(NS)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(Map.of("kind", name.startsWith("big") ? "big" : "small"))
                  .withAnnotations(Map.of("note", name))
                  .endMetadata()
                  .withBinaryData(Map.of("blob", "QUJD".repeat(1000)))
                  .build())
          .create();
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theMetadataOnlyFormCarriesMetadataAndNoData() throws Exception {
    KubernetesClient client = cluster.client();
    var http = client.getHttpClient();
    var request =
        http.newHttpRequestBuilder()
            .uri(
                URI.create(
                    client.getMasterUrl().toString().replaceAll("/+$", "")
                        + "/api/v1/namespaces/"
                        + NS
                        + "/configmaps?labelSelector=kind%3Dbig"))
            .header("Accept", MetadataList.ACCEPT)
            .build();
    String body = http.sendAsync(request, String.class).get().body();
    JsonNode list = Serialization.unmarshal(body, JsonNode.class);

    assertEquals("PartialObjectMetadataList", list.path("kind").asText());
    assertEquals("meta.k8s.io/v1", list.path("apiVersion").asText());
    assertEquals(2, list.path("items").size());
    for (JsonNode item : list.path("items")) {
      assertEquals("PartialObjectMetadata", item.path("kind").asText());
      assertTrue(item.path("metadata").path("name").asText().startsWith("big-"));
    }
    assertFalse(body.contains("binaryData"), body);
  }

  @Test
  void theOperatorReadsTheSelectedConfigMapsMetadata() {
    List<ObjectMeta> listed = MetadataList.configMaps(cluster.client(), NS, Map.of("kind", "big"));
    assertEquals(
        List.of("big-one", "big-two"), listed.stream().map(ObjectMeta::getName).sorted().toList());
    assertEquals(
        List.of("big-one", "big-two"),
        listed.stream().map(m -> m.getAnnotations().get("note")).sorted().toList());
  }

  @Test
  void anObjectAskedForInTheMetadataOnlyFormIsStillAnswered() throws Exception {
    KubernetesClient client = cluster.client();
    var http = client.getHttpClient();
    var request =
        http.newHttpRequestBuilder()
            .uri(
                URI.create(
                    client.getMasterUrl().toString().replaceAll("/+$", "")
                        + "/api/v1/namespaces/"
                        + NS
                        + "/configmaps/other"))
            .header("Accept", MetadataList.ACCEPT)
            .build();
    var response = http.sendAsync(request, String.class).get();
    assertEquals(200, response.code());
    assertEquals(
        "other",
        Serialization.unmarshal(response.body(), JsonNode.class)
            .path("metadata")
            .path("name")
            .asText());
  }
}
