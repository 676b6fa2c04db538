package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Prometheus source against a mock Prometheus answering as its HTTP API does. */
class PrometheusMetricsSourceTest {

  private static final String TOKEN = "s3cret-bearer-token";
  private static final String NS = "clawrate";
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000, 250_000_000), ZoneOffset.UTC);
  private static final Set<String> TENANTS = Set.of("bank.eu", "bank-a");
  private static final String TENANT_MATCH = "tenant=~\"bank-a|bank\\\\.eu\"";

  private MockWebServer server;

  /** Query parameters of each request, in order; written by the server's thread. */
  private final List<Map<String, String>> queries = Collections.synchronizedList(new ArrayList<>());

  private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());

  /** Metric name to the answer of the queries of that metric. */
  private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            Map<String, String> form = form(request.getBody().readUtf8());
            queries.add(form);
            String query = form.getOrDefault("query", "");
            return answers.entrySet().stream()
                .filter(a -> query.contains(a.getKey() + "{"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(vector());
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void readsEachPodsFiguresWithOneQueryPerFigure() throws Exception {
    answers.put(
        RaterSeries.REQUESTS_COUNT,
        vector(
            series("rater-a", "outcome", "ok", "90"),
            series("rater-a", "outcome", "model_trap", "6"),
            series("rater-a", "outcome", "fallback", "4"),
            series("rater-b", "outcome", "ok", "50"),
            "{\"metric\":{\"outcome\":\"ok\"},\"value\":[1700000000.25,\"1000\"]}"));
    answers.put(
        RaterSeries.REQUESTS_BUCKET,
        vector(
            series("rater-a", "le", "0.005", "80"),
            series("rater-a", "le", "0.1", "95"),
            series("rater-a", "le", "+Inf", "100")));
    answers.put(
        RaterSeries.RATING_BUCKET,
        vector(series("rater-a", "le", "650.0", "30"), series("rater-a", "le", "+Inf", "90")));
    answers.put(
        RaterSeries.DECISIONS,
        vector(
            series("rater-a", "decision", "approve", "60"),
            series("rater-a", "decision", "decline", "30")));
    answers.put(
        RaterSeries.SHADOW_COMPARISONS,
        vector(
            series("rater-a", "result", "agree", "40"),
            series("rater-a", "result", "flip", "2"),
            series("rater-a", "result", "candidate_error", "1")));
    answers.put(RaterSeries.SHADOW_DELTA_SUM, vector(series("rater-a", null, null, "12.5")));
    answers.put(RaterSeries.SHADOW_DELTA_COUNT, vector(series("rater-a", null, null, "42")));
    answers.put(
        RaterSeries.SHADOW_RATING_BUCKET,
        vector(
            "{\"metric\":{\"pod\":\"rater-a\",\"version\":\"live\",\"le\":\"+Inf\"},"
                + "\"value\":[1700000000.25,\"43\"]}",
            "{\"metric\":{\"pod\":\"rater-a\",\"version\":\"candidate\",\"le\":\"+Inf\"},"
                + "\"value\":[1700000000.25,\"42\"]}"));
    answers.put(RaterSeries.SHADOW_SKIPPED, vector(series("rater-a", null, null, "7")));

    Map<String, RaterSample> read = source("/prom/").read("eu-west", "stable", TENANTS);

    assertEquals(Set.of("rater-a", "rater-b"), read.keySet());
    RaterSample a = read.get("rater-a");
    assertEquals(100, a.requests());
    assertEquals(6, a.serverErrors());
    assertEquals(4, a.fallbacks());
    assertEquals(
        Histogram.of(Map.of(0.005, 80.0, 0.1, 95.0, Double.POSITIVE_INFINITY, 100.0)),
        a.latencySeconds());
    assertEquals(90, a.ratings().count());
    assertEquals(Map.of("approve", 60.0, "decline", 30.0), a.decisions());
    ShadowFigures shadow = a.shadow();
    assertEquals(
        new ShadowFigures(40, 2, 1, 7, 12.5, 42, shadow.liveRatings(), shadow.candidateRatings()),
        shadow);
    assertEquals(43, shadow.liveRatings().count());
    assertEquals(42, shadow.candidateRatings().count());
    assertEquals(50, read.get("rater-b").requests());
    assertEquals(ShadowFigures.NONE, read.get("rater-b").shadow());
  }

  @Test
  void readsEveryTenantOfEveryPodWithFourQueriesNamingNoTenant() throws Exception {
    answers.put(
        RaterSeries.REQUESTS_COUNT,
        vector(
            tenantSeries("rater-a", "bank-a", "outcome", "ok", "90"),
            tenantSeries("rater-a", "bank-a", "outcome", "model_trap", "6"),
            tenantSeries("rater-a", "bank.eu", "outcome", "fallback", "4"),
            tenantSeries("rater-a", "_unknown", "outcome", "unknown_tenant", "3"),
            tenantSeries("rater-a", "Not A Tenant", "outcome", "ok", "3"),
            tenantSeries("canary-b", "bank-a", "outcome", "ok", "50"),
            tenantSeries("../rater-c", "bank-a", "outcome", "ok", "7")));
    answers.put(
        RaterSeries.REQUESTS_BUCKET,
        vector(
            tenantSeries("rater-a", "bank-a", "le", "0.005", "80"),
            tenantSeries("rater-a", "bank-a", "le", "+Inf", "96"),
            tenantSeries("canary-b", "bank-a", "le", "+Inf", "50")));
    answers.put(
        RaterSeries.RATING_BUCKET, vector(tenantSeries("rater-a", "bank.eu", "le", "+Inf", "4")));
    answers.put(
        RaterSeries.DECISIONS,
        vector(
            tenantSeries("rater-a", "bank-a", "decision", "approve", "60"),
            tenantSeries("rater-a", "bank-a", "decision", "decline", "30")));

    Map<String, Map<String, RaterSample>> read = source("/prom/").readTenants("eu-west");

    assertEquals(Set.of("rater-a", "canary-b"), read.keySet());
    assertEquals(Set.of("bank-a", "bank.eu"), read.get("rater-a").keySet());
    RaterSample a = read.get("rater-a").get("bank-a");
    assertEquals(96, a.requests());
    assertEquals(6, a.serverErrors());
    assertEquals(
        Histogram.of(Map.of(0.005, 80.0, Double.POSITIVE_INFINITY, 96.0)), a.latencySeconds());
    assertEquals(Map.of("approve", 60.0, "decline", 30.0), a.decisions());
    assertEquals(ShadowFigures.NONE, a.shadow());
    RaterSample eu = read.get("rater-a").get("bank.eu");
    assertEquals(4, eu.fallbacks());
    assertEquals(4, eu.ratings().count());
    assertEquals(50, read.get("canary-b").get("bank-a").requests());

    String inNamespace = "{namespace=\"clawrate\"}";
    assertEquals(
        List.of(
            "sum by (pod, tenant, outcome) (clawrate_rate_requests_seconds_count"
                + inNamespace
                + ")",
            "sum by (pod, tenant, le) (clawrate_rate_requests_seconds_bucket" + inNamespace + ")",
            "sum by (pod, tenant, le) (clawrate_rating_value_bucket" + inNamespace + ")",
            "sum by (pod, tenant, decision) (clawrate_rate_decisions_total" + inNamespace + ")"),
        queries.stream().map(q -> q.get("query")).toList());
    for (int i = 0; i < requests.size(); i++) {
      assertEquals("Bearer " + TOKEN, requests.get(i).getHeader("Authorization"));
      assertEquals("1700000000.250", queries.get(i).get("time"), "every query at the same instant");
    }
  }

  @Test
  void readingEveryTenantFailsAsAnyReadDoes() {
    answers.put(
        RaterSeries.REQUESTS_BUCKET,
        new MockResponse()
            .setResponseCode(422)
            .setBody("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"t0ps3cret\"}"));

    MetricsUnavailableException e =
        assertThrows(MetricsUnavailableException.class, () -> source("/").readTenants("eu-west"));

    assertEquals(
        "querying the Prometheus of region eu-west failed: HTTP 422 (execution)", e.getMessage());
    assertEquals(
        "no Prometheus is configured for region ap-south",
        assertThrows(MetricsUnavailableException.class, () -> source("/").readTenants("ap-south"))
            .getMessage());
  }

  @Test
  void anAnswerIsReadWhateverTheOrderOfItsMembersAndRefusedWhenCutShort() throws Exception {
    answers.put(
        RaterSeries.REQUESTS_COUNT,
        new MockResponse()
            .setBody(
                "{\"data\":{\"result\":["
                    + series("rater-a", "outcome", "ok", "5")
                    + "],\"extra\":{\"a\":[1,2]},\"resultType\":\"vector\"},"
                    + "\"status\":\"success\",\"warnings\":[\"w\"]}"));

    assertEquals(5, source("/").read("eu-west", "stable", TENANTS).get("rater-a").requests());

    answers.put(
        RaterSeries.REQUESTS_COUNT,
        new MockResponse()
            .setBody(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                    + series("rater-a", "outcome", "ok", "5")));
    assertEquals(
        "querying the Prometheus of region eu-west failed:"
            + " the answer is not a successful query result",
        readFails().getMessage());

    answers.put(
        RaterSeries.REQUESTS_COUNT,
        new MockResponse()
            .setBody(
                "{\"data\":{\"resultType\":\"vector\",\"result\":["
                    + series("rater-a", "outcome", "ok", "5")
                    + "]},\"status\":\"error\"}"));
    assertEquals(
        "querying the Prometheus of region eu-west failed:"
            + " the answer is not a successful query result",
        readFails().getMessage());
  }

  @Test
  void anAnswerOfMorePodsThanAReadHoldsIsRefused() {
    List<String> pods = new ArrayList<>();
    for (int i = 0; i <= PrometheusMetricsSource.MAX_PODS; i++) {
      pods.add(tenantSeries("rater-" + i, "bank-a", "outcome", "ok", "1"));
    }
    answers.put(RaterSeries.REQUESTS_COUNT, vector(pods.toArray(String[]::new)));

    MetricsUnavailableException e =
        assertThrows(MetricsUnavailableException.class, () -> source("/").readTenants("eu-west"));

    assertEquals(
        "querying the Prometheus of region eu-west failed: more than 2000 pods in the answers",
        e.getMessage());
  }

  @Test
  void sendsEscapedQueriesAtOneInstantWithTheToken() throws Exception {
    source("/prom/").read("eu-west", "stable", TENANTS);

    assertEquals(9, requests.size());
    for (RecordedRequest request : requests) {
      assertEquals("POST", request.getMethod());
      assertEquals("/prom/api/v1/query", request.getPath());
      assertEquals("Bearer " + TOKEN, request.getHeader("Authorization"));
      assertTrue(request.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
    }
    for (Map<String, String> query : queries) {
      assertEquals("1700000000.250", query.get("time"), "every query at the same instant");
    }
    String served = "{namespace=\"clawrate\",track=\"stable\"," + TENANT_MATCH + "}";
    String shadowed = "{namespace=\"clawrate\"," + TENANT_MATCH + "}";
    String ofTrack =
        " and on (namespace, pod) clawrate_config_revision{namespace=\"clawrate\",track=\"stable\"}";
    assertEquals(
        List.of(
            "sum by (pod, outcome) (clawrate_rate_requests_seconds_count" + served + ")",
            "sum by (pod, le) (clawrate_rate_requests_seconds_bucket" + served + ")",
            "sum by (pod, le) (clawrate_rating_value_bucket" + served + ")",
            "sum by (pod, decision) (clawrate_rate_decisions_total" + served + ")",
            "sum by (pod, result) (clawrate_shadow_comparisons_total" + shadowed + ofTrack + ")",
            "sum by (pod) (clawrate_shadow_rating_delta_sum" + shadowed + ofTrack + ")",
            "sum by (pod) (clawrate_shadow_rating_delta_count" + shadowed + ofTrack + ")",
            "sum by (pod, version, le) (clawrate_shadow_rating_value_bucket"
                + shadowed
                + ofTrack
                + ")",
            "sum by (pod) (clawrate_shadow_skipped_total" + shadowed + ofTrack + ")"),
        queries.stream().map(q -> q.get("query")).toList());
  }

  @Test
  void aBaseUrlWithoutATrailingSlashWorksToo() throws Exception {
    source("/prom").read("eu-west", "canary", TENANTS);

    assertEquals("/prom/api/v1/query", requests.get(0).getPath());
    assertTrue(queries.get(0).get("query").contains("track=\"canary\""));
  }

  @Test
  void noTenantsAskNothing() throws Exception {
    assertEquals(Map.of(), source("/").read("eu-west", "stable", Set.of()));
    assertEquals(0, requests.size());
  }

  @Test
  void anErrorAnswerIsReportedByStatusAndTypeOnly() {
    answers.put(
        RaterSeries.REQUESTS_COUNT,
        new MockResponse()
            .setResponseCode(400)
            .setBody(
                "{\"status\":\"error\",\"errorType\":\"bad_data\","
                    + "\"error\":\"parse error at char 9: t0ps3cret\"}"));

    MetricsUnavailableException e = readFails();

    assertEquals(
        "querying the Prometheus of region eu-west failed: HTTP 400 (bad_data)", e.getMessage());
  }

  @Test
  void anUnavailablePrometheusIsAnError() {
    answers.put(
        RaterSeries.REQUESTS_COUNT,
        new MockResponse().setResponseCode(503).setBody("<html>t0ps3cret proxy page</html>"));

    assertEquals(
        "querying the Prometheus of region eu-west failed: HTTP 503", readFails().getMessage());
  }

  @Test
  void anAnswerThatIsNoInstantVectorIsAnError() {
    answers.put(RaterSeries.REQUESTS_COUNT, new MockResponse().setBody("not json t0ps3cret"));
    assertEquals(
        "querying the Prometheus of region eu-west failed:"
            + " the answer is not a successful query result",
        readFails().getMessage());

    answers.put(
        RaterSeries.REQUESTS_COUNT,
        new MockResponse()
            .setBody(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"));
    assertEquals(
        "querying the Prometheus of region eu-west failed: the answer is not an instant vector",
        readFails().getMessage());
  }

  @Test
  void anAnswerOverTheLimitIsRefusedWhetherItsLengthIsAnnouncedOrNot() {
    String large = vector(series("rater-a", "outcome", "ok", "5")).getBody().readUtf8().repeat(20);
    answers.put(RaterSeries.REQUESTS_COUNT, new MockResponse().setBody(large));
    PrometheusMetricsSource small =
        new PrometheusMetricsSource(
            PrometheusMetricsSource.defaultHttpClient(),
            Map.of("eu-west", new PrometheusEndpoint(server.url("/").toString(), TOKEN, NS)),
            CLOCK,
            1024);
    String expected =
        "querying the Prometheus of region eu-west failed: the body is larger than 1024 bytes";

    assertEquals(
        expected,
        assertThrows(
                MetricsUnavailableException.class, () -> small.read("eu-west", "stable", TENANTS))
            .getMessage());

    answers.put(RaterSeries.REQUESTS_COUNT, new MockResponse().setChunkedBody(large, 128));
    assertEquals(
        expected,
        assertThrows(
                MetricsUnavailableException.class, () -> small.read("eu-west", "stable", TENANTS))
            .getMessage());
  }

  @Test
  void unreadableValuesAreLeftOut() throws Exception {
    answers.put(
        RaterSeries.REQUESTS_COUNT,
        vector(
            series("rater-a", "outcome", "ok", "5"),
            series("rater-a", "outcome", "ok", "lots"),
            "{\"metric\":{\"pod\":\"rater-a\",\"outcome\":\"ok\"},\"value\":\"7\"}",
            series("../rater-b", "outcome", "ok", "9")));

    Map<String, RaterSample> read = source("/").read("eu-west", "stable", TENANTS);

    assertEquals(Set.of("rater-a"), read.keySet());
    assertEquals(5, read.get("rater-a").requests());
  }

  @Test
  void anUnreachablePrometheusIsAnError() throws Exception {
    PrometheusMetricsSource source = source("/");
    server.shutdown();

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class, () -> source.read("eu-west", "stable", TENANTS));

    assertEquals(
        "querying the Prometheus of region eu-west failed: connection refused", e.getMessage());
  }

  @Test
  void neverShowsTheTokenOrCredentials() {
    PrometheusEndpoint endpoint = new PrometheusEndpoint("https://p.example", TOKEN, NS);
    assertFalse(endpoint.toString().contains(TOKEN));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PrometheusMetricsSource(
                    Map.of(
                        "eu-west",
                        new PrometheusEndpoint("https://u:t0ps3cret@p.example", null, NS))));
    assertFalse(e.getMessage().contains("t0ps3cret"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new PrometheusMetricsSource(
                Map.of("eu-west", new PrometheusEndpoint("https://p.example", null, "Bad_NS"))));
    assertEquals(
        "no Prometheus is configured for region ap-south",
        assertThrows(
                MetricsUnavailableException.class,
                () -> source("/").read("ap-south", "stable", TENANTS))
            .getMessage());
  }

  private MetricsUnavailableException readFails() {
    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class,
            () -> source("/").read("eu-west", "stable", TENANTS));
    assertFalse(e.getMessage().contains("t0ps3cret"));
    assertFalse(e.getMessage().contains(TOKEN));
    return e;
  }

  private PrometheusMetricsSource source(String path) {
    return new PrometheusMetricsSource(
        PrometheusMetricsSource.defaultHttpClient(),
        Map.of("eu-west", new PrometheusEndpoint(server.url(path).toString(), TOKEN, NS)),
        CLOCK,
        PrometheusMetricsSource.MAX_ANSWER_BYTES);
  }

  private static String series(String pod, String label, String labelValue, String value) {
    return "{\"metric\":{\"pod\":\""
        + pod
        + "\""
        + (label == null ? "" : ",\"" + label + "\":\"" + labelValue + "\"")
        + "},\"value\":[1700000000.25,\""
        + value
        + "\"]}";
  }

  private static String tenantSeries(
      String pod, String tenant, String label, String labelValue, String value) {
    return "{\"metric\":{\"pod\":\""
        + pod
        + "\",\"tenant\":\""
        + tenant
        + "\",\""
        + label
        + "\":\""
        + labelValue
        + "\"},\"value\":[1700000000.25,\""
        + value
        + "\"]}";
  }

  private static MockResponse vector(String... series) {
    return new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + String.join(",", series)
                + "]}}");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }
}
