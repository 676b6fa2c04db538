package dev.clawrate.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawrate.local.apiserver.Admission;
import dev.clawrate.local.apiserver.ApiRequests;
import dev.clawrate.local.apiserver.EventFields;
import dev.clawrate.local.apiserver.ListKinds;
import dev.clawrate.local.apiserver.OpenApiDocuments;
import dev.clawrate.local.apiserver.PartialMetadata;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The mock server's CRUD dispatcher plus the discovery documents kubectl reads before it does
 * anything ({@code /api}, {@code /apis}, and each group version's resource list), for the resources
 * clawrate uses, and the Table form {@code kubectl get} asks for, with the printer columns of
 * clawrate's CRDs. Without them kubectl cannot resolve {@code rmodel}, and shows only NAME and AGE.
 * Writes of custom resources pass the API server's validation, pruning and defaulting ({@link
 * Admission}), and kubectl finds the OpenAPI v3 documents it validates and explains with.
 */
final class DiscoveringCrudDispatcher extends KubernetesCrudDispatcher {

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private static final String CLAWRATE_PATH = "/apis/clawrate.dev/v1alpha1/";

  private final Map<String, String> documents = new LinkedHashMap<>();
  private final ListKinds listKinds = new ListKinds();
  private final Map<String, List<CustomResourceColumnDefinition>> printerColumns;
  private final Admission admission;
  private final OpenApiDocuments openApi;
  // What the write being handled on this thread stored after admission, and its request.
  private final ThreadLocal<Admission.Admitted> admitted = new ThreadLocal<>();
  private final ThreadLocal<String> fieldValidation = new ThreadLocal<>();

  /**
   * @param crds the CRDs whose printer columns {@code kubectl get} shows
   * @param validating whether custom resources are validated, pruned and defaulted as stored
   */
  DiscoveringCrudDispatcher(List<CustomResourceDefinition> crds, boolean validating) {
    super(List.of());
    this.printerColumns = PrinterTables.columns(crds);
    this.admission = new Admission(validating ? crds : List.of());
    this.openApi = OpenApiDocuments.of(crds);
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
        resource("tenantconfigs/status", "TenantConfig", true),
        resource("canaryreleases", "CanaryRelease", true, "canary"),
        resource("canaryreleases/status", "CanaryRelease", true));
    resources(
        "/apis/gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1",
        resource("httproutes", "HTTPRoute", true),
        resource("httproutes/status", "HTTPRoute", true));
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
        List.of(
            "clawrate.dev/v1alpha1",
            "gateway.networking.k8s.io/v1",
            "coordination.k8s.io/v1",
            "apiextensions.k8s.io/v1")) {
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
    for (APIResource resource : resources) {
      listKinds.add(path, resource.getName(), resource.getKind());
    }
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

  /**
   * A GET that asks for a Table (as kubectl does) of a clawrate resource gets one with the CRD's
   * printer columns, a list that asks for metadata only gets the {@link PartialMetadata} form;
   * anything else is answered as the CRUD dispatcher does.
   */
  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String accept = request.getHeader("Accept");
    String path = request.getPath();
    if ("GET".equals(request.getMethod())
        && PartialMetadata.asked(accept)
        && !path.contains("watch=")) {
      return metadataOnly(handleGet(path));
    }
    if (!"GET".equals(request.getMethod())
        || accept == null
        || !accept.contains("as=Table")
        || !path.startsWith(CLAWRATE_PATH)
        || path.contains("watch=")) {
      return super.dispatch(request);
    }
    MockResponse answer = handleGet(path);
    List<CustomResourceColumnDefinition> columns = printerColumns.get(resourceOf(path));
    if (answer.code() != 200 || columns == null) {
      return answer;
    }
    JsonNode body = Serialization.unmarshal(answer.getBody().readUtf8(), JsonNode.class);
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(PrinterTables.table(body, columns, Instant.now())));
  }

  private static MockResponse metadataOnly(MockResponse answer) {
    if (answer.code() != 200 || answer.getBody() == null) {
      return answer;
    }
    JsonNode body = Serialization.unmarshal(answer.getBody().readUtf8(), JsonNode.class);
    if (!body.has("items")) {
      // One object, not a list: the metadata-only form of it is not one clawrate asks for.
      return answer.setBody(Serialization.asJson(body));
    }
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(PartialMetadata.list(body)));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return admitted(request, super::handleCreate);
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return admitted(request, super::handleUpdate);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    return admitted(request, super::handlePatch);
  }

  /**
   * Handles a write as the CRUD dispatcher does, with {@link #processEvent} admitting what it
   * stores: a refused object is answered with the API server's Status, an admitted one with what
   * was stored (pruned and defaulted).
   */
  private MockResponse admitted(
      RecordedRequest request, Function<RecordedRequest, MockResponse> handler) {
    fieldValidation.set(ApiRequests.queryParameter(request.getPath(), "fieldValidation"));
    try {
      MockResponse answer = handler.apply(ApiRequests.normalized(request));
      Admission.Admitted stored = admitted.get();
      if (answer.header("Content-Type") == null) {
        answer.setHeader("Content-Type", "application/json");
      }
      if (stored != null && answer.code() < 300) {
        answer.setBody(stored.stored());
        stored.warnings().forEach(w -> answer.addHeader("Warning", Admission.warningHeader(w)));
      }
      return answer;
    } catch (Admission.Rejected e) {
      return new MockResponse()
          .setResponseCode(e.code())
          .setHeader("Content-Type", "application/json")
          .setBody(e.statusBody());
    } finally {
      admitted.remove();
      fieldValidation.remove();
    }
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    if (newState == null) {
      super.processEvent(path, pathAttributes, oldAttributes, resource, null);
      return;
    }
    Admission.Admitted stored =
        admission.admit(
            path,
            newState,
            oldAttributes == null ? null : map.get(oldAttributes),
            fieldValidation.get());
    admitted.set(stored);
    super.processEvent(
        path,
        pathAttributes,
        oldAttributes,
        stored.stored().equals(newState) ? resource : null,
        stored.stored());
    EventFields.index(path, map, stored.stored());
  }

  /** The plural resource of a path like /apis/g/v/namespaces/ns/ratingmodels/name?query. */
  private static String resourceOf(String path) {
    String bare = path.indexOf('?') < 0 ? path : path.substring(0, path.indexOf('?'));
    String[] parts = bare.substring(CLAWRATE_PATH.length()).split("/");
    int at = parts.length > 0 && parts[0].equals("namespaces") ? 2 : 0;
    return at < parts.length ? parts[at] : "";
  }

  @Override
  public MockResponse handleGet(String path) {
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    if (bare.startsWith("/openapi/")) {
      return openApi
          .get(bare)
          .map(
              document ->
                  new MockResponse()
                      .setResponseCode(200)
                      .setHeader("Content-Type", "application/json")
                      .setBody(document))
          .orElseGet(() -> new MockResponse().setResponseCode(404));
    }
    String document = documents.get(bare);
    if (document != null) {
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(document);
    }
    MockResponse answer = listKinds.named(bare, super.handleGet(path));
    if (answer.getWebSocketListener() == null && answer.header("Content-Type") == null) {
      // Without it kubectl's typed clients (describe's Events) take JSON for protobuf.
      answer.setHeader("Content-Type", "application/json");
    }
    return answer;
  }
}
