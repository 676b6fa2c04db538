package dev.clawrate.operator.traffic;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The Gateway API's HTTPRoute CRD as far as an API server without a schema needs it: the mock API
 * server of the local run and the tests honours the status subresource of a resource (a write of
 * the route keeps its status, a write of its status keeps its spec, as on a real cluster) only once
 * a CRD declares it. A real cluster gets the Gateway API's own CRDs, with their schemas, from its
 * gateway's installation; this one accepts any content.
 */
public final class GatewayApiCrds {

  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String HTTP_ROUTES = "httproutes." + GROUP;

  private GatewayApiCrds() {}

  /** {@code httproutes.gateway.networking.k8s.io}, version v1: namespaced, with status. */
  public static CustomResourceDefinition httpRoutes() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(HTTP_ROUTES)
        .endMetadata()
        .withNewSpec()
        .withGroup(GROUP)
        .withScope("Namespaced")
        .withNewNames()
        .withKind("HTTPRoute")
        .withListKind("HTTPRouteList")
        .withPlural("httproutes")
        .withSingular("httproute")
        .withCategories("gateway-api")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
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

  /** Creates {@link #httpRoutes()} in the API server behind {@code client} unless it is there. */
  public static void install(KubernetesClient client) {
    try {
      client.apiextensions().v1().customResourceDefinitions().resource(httpRoutes()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
