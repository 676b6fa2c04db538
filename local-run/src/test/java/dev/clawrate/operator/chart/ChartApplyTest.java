package dev.clawrate.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.traffic.GatewayApiCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every object the chart renders with every option on is one an API server takes: created in the
 * local API server (the mock server with clawrate's CRDs, plus the Gateway API's and the Prometheus
 * Operator's CRDs, as a cluster using those options has them) and read back.
 */
class ChartApplyTest {

  /** Kinds of other projects' CRDs, which the client cannot know without discovery. */
  private static final Map<String, String> PLURALS =
      Map.of("ServiceMonitor", "servicemonitors", "PrometheusRule", "prometheusrules");

  @Test
  void everyRenderedObjectIsCreatedAndReadBack() {
    List<JsonNode> objects = RenderedChart.full().objects();
    try (LocalCluster cluster = LocalCluster.start(0)) {
      KubernetesClient client = cluster.client();
      GatewayApiCrds.install(client);
      for (String kind : PLURALS.keySet()) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(monitoringCrd(kind))
            .create();
      }
      for (JsonNode object : objects) {
        String what =
            object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
        KubernetesResource parsed =
            Serialization.unmarshal(object.toString(), KubernetesResource.class);
        HasMetadata stored;
        if (parsed instanceof GenericKubernetesResource generic) {
          var resources = client.genericKubernetesResources(context(generic));
          var scoped =
              generic.getMetadata().getNamespace() == null
                  ? resources
                  : resources.inNamespace(generic.getMetadata().getNamespace());
          scoped.resource(generic).create();
          stored = scoped.withName(generic.getMetadata().getName()).get();
        } else {
          HasMetadata typed = (HasMetadata) parsed;
          client.resource(typed).create();
          stored = client.resource(typed).get();
        }
        assertNotNull(stored, what + " is not there after its create");
        assertEquals(
            object.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText(),
            stored.getMetadata().getLabels().get("app.kubernetes.io/part-of"),
            what);
      }
      assertTrue(objects.size() > 30, "every option renders more than " + objects.size());
    }
  }

  private static ResourceDefinitionContext context(GenericKubernetesResource resource) {
    String plural = PLURALS.get(resource.getKind());
    if (plural == null) {
      throw new AssertionError("the client does not know " + resource.getKind());
    }
    String[] groupVersion = resource.getApiVersion().split("/");
    return new ResourceDefinitionContext.Builder()
        .withGroup(groupVersion[0])
        .withVersion(groupVersion[1])
        .withKind(resource.getKind())
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** A schema-less CRD of monitoring.coreos.com, as the Prometheus Operator installs it. */
  private static CustomResourceDefinition monitoringCrd(String kind) {
    String plural = PLURALS.get(kind);
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(plural + ".monitoring.coreos.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("monitoring.coreos.com")
        .withScope("Namespaced")
        .withNewNames()
        .withKind(kind)
        .withListKind(kind + "List")
        .withPlural(plural)
        .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
