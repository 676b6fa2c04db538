package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod proxy source against fabric8's mock API server: pods are stored and selected by label as
 * by an API server (CRUD mode), and the proxy paths, which the mock server lacks, answer by
 * expectation, so the requests the source sends are the real ones.
 */
class PodProxyMetricsSourceTest {

  private static final String NS = "clawrate-system";
  private static final String TOKEN = "t0ken-of-the-operator";
  private static final Set<String> TENANTS = Set.of("bank-a");

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void startServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    client =
        new KubernetesClientBuilder()
            .withHttpClientFactory(new OkHttpClientFactory())
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl(server.url("/"))
                    .withOauthToken(TOKEN)
                    .withNamespace("default")
                    .build())
            .build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void readsEachRunningAndReadyRaterOfTheTrackThroughThePodProxy() throws Exception {
    create(pod("rater-stable-a", "stable", "Running", true, "9100"));
    create(pod("rater-stable-b", "stable", "Running", true, null));
    create(pod("rater-stable-starting", "stable", "Pending", false, null));
    create(pod("rater-stable-unready", "stable", "Running", false, null));
    create(pod("rater-canary-a", "canary", "Running", true, null));
    Pod other = pod("someone-else", "stable", "Running", true, null);
    other.getMetadata().getLabels().put(PodProxyMetricsSource.NAME_LABEL, "other-app");
    create(other);
    serve("rater-stable-a", 9100, requests(3));
    serve("rater-stable-b", 8081, requests(5));

    Map<String, RaterSample> read = source().read("eu-west", "stable", TENANTS);

    assertEquals(Set.of("rater-stable-a", "rater-stable-b"), read.keySet());
    assertEquals(3, read.get("rater-stable-a").requests());
    assertEquals(5, read.get("rater-stable-b").requests());
    List<RecordedRequest> proxied = proxyRequests();
    assertEquals(2, proxied.size());
    for (RecordedRequest request : proxied) {
      assertEquals("Bearer " + TOKEN, request.getHeader("Authorization"), "the client's own auth");
      assertEquals("GET", request.getMethod());
    }
  }

  @Test
  void readsEveryTenantOfTheServingPodsOfBothTracksOnceEach() throws Exception {
    create(pod("rater-stable-a", "stable", "Running", true, null));
    create(pod("rater-stable-starting", "stable", "Pending", false, null));
    create(pod("rater-canary-a", "canary", "Running", true, "9100"));
    serve(
        "rater-stable-a",
        8081,
        new RaterExposition()
            .live("stable", 4)
            .request("bank-a", "stable", "ok", 2)
            .request("bank-a", "stable", "model_trap", 3)
            .request("bank-b.eu", "stable", "ok", 1)
            .request("_unknown", "stable", "unknown_tenant", 1)
            .rating("bank-a", "stable", 700, "approve")
            .shadow("bank-a", "agree", 700, 700.0)
            .text());
    serve(
        "rater-canary-a",
        9100,
        new RaterExposition().live("canary", 5).request("bank-a", "canary", "ok", 2).text());

    Map<String, Map<String, RaterSample>> read = source().readTenants("eu-west");

    assertEquals(Set.of("rater-stable-a", "rater-canary-a"), read.keySet());
    Map<String, RaterSample> stable = read.get("rater-stable-a");
    assertEquals(Set.of("bank-a", "bank-b.eu"), stable.keySet());
    RaterSample a = stable.get("bank-a");
    assertEquals(2, a.requests());
    assertEquals(1, a.serverErrors());
    assertEquals(1, a.ratings().count());
    assertEquals(Map.of("approve", 1.0), a.decisions());
    assertEquals(ShadowFigures.NONE, a.shadow());
    assertEquals(1, stable.get("bank-b.eu").requests());
    assertEquals(Set.of("bank-a"), read.get("rater-canary-a").keySet());
    assertEquals(1, read.get("rater-canary-a").get("bank-a").requests());
    assertEquals(2, proxyRequests().size(), "one scrape of each pod for every tenant");
  }

  @Test
  void noPodOfEitherTrackReadableIsAnError() {
    create(pod("rater-stable-a", "stable", "Running", true, null));
    create(pod("rater-canary-a", "canary", "Running", true, null));
    server.expect().get().withPath(path("rater-stable-a", 8081)).andReturn(403, "no").always();
    server.expect().get().withPath(path("rater-canary-a", 8081)).andReturn(500, "no").always();

    MetricsUnavailableException e =
        assertThrows(MetricsUnavailableException.class, () -> source().readTenants("eu-west"));

    assertEquals(
        "none of the 2 rater instances of region eu-west, tracks canary and stable, could be read"
            + " (the first: HTTP 403)",
        e.getMessage());
    assertEquals(
        "the region name may contain only lowercase letters, digits and '-'",
        assertThrows(MetricsUnavailableException.class, () -> source().readTenants("EU"))
            .getMessage());
  }

  @Test
  void aPodThatCannotBeReadIsLeftOut() throws Exception {
    create(pod("rater-stable-a", "stable", "Running", true, null));
    create(pod("rater-stable-b", "stable", "Running", true, null));
    create(pod("rater-stable-c", "stable", "Running", true, "http"));
    serve("rater-stable-a", 8081, requests(2));
    server
        .expect()
        .get()
        .withPath(path("rater-stable-b", 8081))
        .andReturn(403, "{\"kind\":\"Status\",\"message\":\"forbidden: t0ps3cret\"}")
        .always();

    Map<String, RaterSample> read = source().read("eu-west", "stable", TENANTS);

    assertEquals(Set.of("rater-stable-a"), read.keySet());
  }

  @Test
  void aPodWhoseNameCannotGoIntoAPathIsNeverRequested() throws Exception {
    create(pod("rater-stable-a", "stable", "Running", true, null));
    create(pod("Rater_Stable", "stable", "Running", true, null));
    serve("rater-stable-a", 8081, requests(1));

    Map<String, RaterSample> read = source().read("eu-west", "stable", TENANTS);

    assertEquals(Set.of("rater-stable-a"), read.keySet());
    assertEquals(1, proxyRequests().size());
  }

  @Test
  void noPodReadableIsAnError() {
    create(pod("rater-stable-a", "stable", "Running", true, null));
    server.expect().get().withPath(path("rater-stable-a", 8081)).andReturn(403, "no").always();

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class, () -> source().read("eu-west", "stable", TENANTS));

    assertEquals(
        "none of the 1 rater instances of region eu-west, track stable, could be read"
            + " (the first: HTTP 403)",
        e.getMessage());
  }

  @Test
  void aBodyOverTheLimitIsRefused() {
    create(pod("rater-stable-a", "stable", "Running", true, null));
    serve("rater-stable-a", 8081, requests(2));
    PodProxyMetricsSource small =
        new PodProxyMetricsSource(
            region -> new PodProxyMetricsSource.RaterNamespace(client, NS),
            new PrometheusText(100, RaterSeries::isRaterMetric),
            PodProxyMetricsSource.DEFAULT_TIMEOUT);

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class, () -> small.read("eu-west", "stable", TENANTS));

    assertTrue(e.getMessage().endsWith("(the first: the body is larger than 100 bytes)"));
  }

  @Test
  void aTrackWithoutServingPodsReadsAsNone() throws Exception {
    create(pod("rater-stable-starting", "stable", "Pending", false, null));

    assertEquals(Map.of(), source().read("eu-west", "stable", TENANTS));
  }

  @Test
  void listingThePodsFailingIsAnError() {
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + NS
                + "/pods?labelSelector=app.kubernetes.io%2Fname%3Dclawrate-rater%2Cclawrate.dev%2Ftrack%3Dstable")
        .andReturn(403, "{\"kind\":\"Status\",\"code\":403}")
        .always();

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class, () -> source().read("eu-west", "stable", TENANTS));

    assertEquals("listing the rater pods of region eu-west failed (HTTP 403)", e.getMessage());
  }

  @Test
  void refusesRegionsAndNamespacesItCannotUse() {
    PodProxyMetricsSource badNamespace =
        new PodProxyMetricsSource(
            region -> new PodProxyMetricsSource.RaterNamespace(client, "../kube-system"));

    assertEquals(
        "region ap-south is not known",
        assertThrows(
                MetricsUnavailableException.class,
                () -> source().read("ap-south", "stable", TENANTS))
            .getMessage());
    assertEquals(
        "the rater namespace of region eu-west may contain only lowercase letters, digits and '-'",
        assertThrows(
                MetricsUnavailableException.class,
                () -> badNamespace.read("eu-west", "stable", TENANTS))
            .getMessage());
  }

  @Test
  void buildsTheProxyPathUnderTheMasterUrl() {
    assertEquals(
        "https://k8s.example/clusters/c-1/api/v1/namespaces/ns/pods/rater-a:8081/proxy/metrics",
        PodProxyMetricsSource.proxyPath("https://k8s.example/clusters/c-1", "ns", "rater-a", 8081));
  }

  private PodProxyMetricsSource source() {
    return new PodProxyMetricsSource(
        region ->
            region.equals("eu-west") ? new PodProxyMetricsSource.RaterNamespace(client, NS) : null);
  }

  private void serve(String pod, int port, String text) {
    server.expect().get().withPath(path(pod, port)).andReturn(200, text).always();
  }

  private static String path(String pod, int port) {
    return "/api/v1/namespaces/" + NS + "/pods/" + pod + ":" + port + "/proxy/metrics";
  }

  private static String requests(int count) {
    RaterExposition rater = new RaterExposition().live("stable", 4);
    for (int i = 0; i < count; i++) {
      rater.request("bank-a", "stable", "ok", 2);
    }
    return rater.text();
  }

  private List<RecordedRequest> proxyRequests() throws InterruptedException {
    List<RecordedRequest> proxied = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
      if (request.getPath().endsWith("/proxy/metrics")) {
        proxied.add(request);
      }
    }
    return proxied;
  }

  private void create(Pod pod) {
    Pod created = client.pods().inNamespace(NS).resource(pod).create();
    if (created.getStatus() == null || created.getStatus().getPhase() == null) {
      created.setStatus(pod.getStatus());
      client.pods().inNamespace(NS).resource(created).updateStatus();
    }
  }

  private static Pod pod(String name, String track, String phase, boolean ready, String port) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .addToLabels(PodProxyMetricsSource.NAME_LABEL, PodProxyMetricsSource.RATER_NAME)
            .addToLabels(PodProxyMetricsSource.TRACK_LABEL, track)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("rater")
            .withImage("clawrate/rater:dev")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    if (port != null) {
      pod.editMetadata()
          .addToAnnotations(PodProxyMetricsSource.PORT_ANNOTATION, port)
          .endMetadata();
    }
    return pod.build();
  }
}
