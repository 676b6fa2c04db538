package dev.clawrate.operator.local;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mock server's CRUD dispatcher plus the discovery documents kubectl reads before it does
 * anything ({@code /api}, {@code /apis}, and each group version's resource list), for the resources
 * clawrate uses. Without them kubectl cannot resolve {@code rmodel} or {@code cm}.
 */
final class DiscoveringCrudDispatcher extends KubernetesCrudDispatcher {

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Map<String, String> documents = new LinkedHashMap<>();

  DiscoveringCrudDispatcher() {
    super(List.of());
    documents.put(
        "/api", Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    resources(
        "/api/v1",
        "v1",
        resource("configmaps", "ConfigMap", true, "cm"),
        resource("events", "Event", true, "ev"),
        resource("secrets", "Secret", true),
        resource("namespaces", "Namespace", false, "ns"));
    resources(
        "/apis/clawrate.dev/v1alpha1",
        "clawrate.dev/v1alpha1",
        resource("ratingmodels", "RatingModel", true, "rmodel"),
        resource("ratingmodels/status", "RatingModel", true),
        resource("tenantconfigs", "TenantConfig", true, "tenant", "tc"),
        resource("tenantconfigs/status", "TenantConfig", true));
    resources(
        "/apis/coordination.k8s.io/v1",
        "coordination.k8s.io/v1",
        resource("leases", "Lease", true));
    resources(
        "/apis/apiextensions.k8s.io/v1",
        "apiextensions.k8s.io/v1",
        resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds"));
    var groups = new APIGroupListBuilder();
    for (String groupVersion :
        List.of("clawrate.dev/v1alpha1", "coordination.k8s.io/v1", "apiextensions.k8s.io/v1")) {
      String group = groupVersion.substring(0, groupVersion.indexOf('/'));
      String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
      var discovered =
          new GroupVersionForDiscoveryBuilder()
              .withGroupVersion(groupVersion)
              .withVersion(version)
              .build();
      groups.addToGroups(
          new APIGroupBuilder()
              .withName(group)
              .withVersions(discovered)
              .withPreferredVersion(discovered)
              .build());
    }
    documents.put("/apis", Serialization.asJson(groups.build()));
  }

  private void resources(String path, String groupVersion, APIResource... resources) {
    documents.put(
        path,
        Serialization.asJson(
            new APIResourceListBuilder()
                .withGroupVersion(groupVersion)
                .withResources(resources)
                .build()));
  }

  private static APIResource resource(
      String name, String kind, boolean namespaced, String... shortNames) {
    return new APIResourceBuilder()
        .withName(name)
        .withKind(kind)
        .withNamespaced(namespaced)
        .withSingularName("")
        .withVerbs(VERBS)
        .withShortNames(shortNames)
        .build();
  }

  @Override
  public MockResponse handleGet(String path) {
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    if (bare.startsWith("/openapi/")) {
      // No schemas here: kubectl then applies without client-side validation.
      return new MockResponse().setResponseCode(404);
    }
    String document = documents.get(bare);
    if (document != null) {
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(document);
    }
    return super.handleGet(path);
  }
}
