package dev.clawrate.operator.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** HTTPRoutes in a mock API server as their owner writes them: untyped, exactly as given. */
final class Routes {

  static final ResourceDefinitionContext HTTP_ROUTES =
      new ResourceDefinitionContext.Builder()
          .withGroup(GatewayApiCrds.GROUP)
          .withVersion("v1")
          .withKind("HTTPRoute")
          .withPlural("httproutes")
          .withNamespaced(true)
          .build();

  private Routes() {}

  /** Creates the route the YAML describes, as it is. */
  static void create(KubernetesClient client, String namespace, String yaml) {
    GenericKubernetesResource route =
        Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    client.genericKubernetesResources(HTTP_ROUTES).inNamespace(namespace).resource(route).create();
  }

  /** The route as the API server stores it, or null. */
  static ObjectNode stored(KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource route =
        client.genericKubernetesResources(HTTP_ROUTES).inNamespace(namespace).withName(name).get();
    return route == null ? null : (ObjectNode) Serialization.jsonMapper().valueToTree(route);
  }

  /** Writes the route's status as a gateway controller would. */
  static void writeStatus(
      KubernetesClient client, String namespace, String name, String statusYaml) {
    GenericKubernetesResource route =
        client.genericKubernetesResources(HTTP_ROUTES).inNamespace(namespace).withName(name).get();
    route.setAdditionalProperty("status", Serialization.unmarshal(statusYaml, Map.class));
    client
        .genericKubernetesResources(HTTP_ROUTES)
        .inNamespace(namespace)
        .resource(route)
        .updateStatus();
  }
}
