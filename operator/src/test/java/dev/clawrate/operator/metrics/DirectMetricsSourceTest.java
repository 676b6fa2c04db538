package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.rater.testing.ConfigDir;
import dev.clawrate.rater.testing.RunningRater;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Scrapes a real rater over HTTP: what it counts is what the source reads. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectMetricsSourceTest {

  private static final String BODY = "{\"applicantId\":\"A-1\"}";

  private Path dir;
  private RunningRater rater;
  private String url;
  private String deadUrl;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("direct-metrics-");
    new ConfigDir(dir)
        .model("constant", Fixtures.module("constant-a"))
        .model("trap", Fixtures.module("trap"))
        .tenant("approver", "constant", 650)
        .tenant("bank.eu", "constant", 701)
        .tenant("trapper", "trap", 1)
        .tenant("idle", "constant", 1)
        .tenant("slo-trapper", "trap", 1)
        .publish();
    rater = RunningRater.serve(dir);
    url = "http://127.0.0.1:" + rater.rater().healthPort() + "/metrics";
    deadUrl = "http://127.0.0.1:" + freePort() + "/metrics";
  }

  @AfterAll
  void stop() throws IOException {
    rater.close();
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void readsWhatARealRaterCountedForTheTenants() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, rater.client().rate("approver", BODY).status());
    }
    assertEquals(200, rater.client().rate("bank.eu", BODY).status());
    assertEquals(500, rater.client().rate("trapper", BODY).status());
    assertEquals(500, rater.client().rate("trapper", BODY).status());
    assertEquals(404, rater.client().rate("nobody", BODY).status());
    DirectMetricsSource source = source(List.of(url));
    Set<String> tenants = Set.of("approver", "bank.eu", "trapper");

    Map<String, RaterSample> read =
        Await.value(
            "the rater counted all six requests",
            () -> read(source, tenants),
            r -> r.containsKey(url) && r.get(url).requests() >= 6);

    assertEquals(Set.of(url), read.keySet());
    RaterSample sample = read.get(url);
    assertEquals(6, sample.requests());
    assertEquals(2, sample.serverErrors(), "the two traps");
    assertEquals(0, sample.fallbacks());
    assertEquals(6, sample.latencySeconds().count());
    assertEquals(4, sample.ratings().count(), "traps have no rating");
    assertEquals(0, sample.ratings().cumulativeAt(650.0));
    assertEquals(4, sample.ratings().cumulativeAt(700.0), "constant-a rates 700");
    assertEquals(Map.of("approve", 3.0, "decline", 1.0), sample.decisions());
    assertEquals(ShadowFigures.NONE, sample.shadow());
  }

  @Test
  void readsEveryTenantOfEveryTrackTheRegionIsConfiguredWith() throws Exception {
    try (MockWebServer canary = new MockWebServer()) {
      canary.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse()
                  .setBody(
                      new RaterExposition()
                          .live("canary", 3)
                          .request("approver", "canary", "ok", 1)
                          .request("trapper", "canary", "model_trap", 1)
                          .text());
            }
          });
      canary.start();
      String canaryUrl = canary.url("/metrics").toString();
      DirectMetricsSource source =
          new DirectMetricsSource(
              Map.of("local", Map.of("stable", List.of(url), "canary", List.of(canaryUrl))));
      Map<String, RaterSample> before = readTenants(source).get(url);

      assertEquals(500, rater.client().rate("slo-trapper", BODY).status());
      assertEquals(500, rater.client().rate("slo-trapper", BODY).status());
      assertEquals(404, rater.client().rate("nobody", BODY).status());
      double trapsBefore =
          before.containsKey("slo-trapper") ? before.get("slo-trapper").requests() : 0;
      Map<String, Map<String, RaterSample>> read =
          Await.value(
              "the rater counted both traps",
              () -> readTenants(source),
              r ->
                  r.get(url).containsKey("slo-trapper")
                      && r.get(url).get("slo-trapper").requests() >= trapsBefore + 2);

      assertEquals(Set.of(url, canaryUrl), read.keySet());
      RaterSample traps = read.get(url).get("slo-trapper");
      RaterSample increase =
          before.containsKey("slo-trapper") ? traps.minus(before.get("slo-trapper")) : traps;
      assertEquals(2, increase.requests());
      assertEquals(2, increase.serverErrors());
      assertEquals(ShadowFigures.NONE, traps.shadow());
      assertFalse(read.get(url).containsKey("_unknown"), "requests of no tenant are no tenant's");
      assertEquals(Set.of("approver", "trapper"), read.get(canaryUrl).keySet());
      assertEquals(1, read.get(canaryUrl).get("trapper").serverErrors());
    }
  }

  @Test
  void readingEveryTenantFailsOnlyWhenNoInstanceCanBeRead() throws Exception {
    DirectMetricsSource source =
        new DirectMetricsSource(
            Map.of("local", Map.of("stable", List.of(deadUrl, url), "canary", List.of(deadUrl))));

    assertEquals(Set.of(url), source.readTenants("local").keySet());
    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class,
            () ->
                new DirectMetricsSource(
                        Map.of(
                            "local",
                            Map.of("stable", List.of(deadUrl), "canary", List.of(deadUrl))))
                    .readTenants("local"));
    assertEquals(
        "none of the 2 rater instances of region local, tracks canary and stable, could be read"
            + " (the first: connection refused)",
        e.getMessage());
    assertEquals(
        "no rater metrics endpoints are configured for region eu-west",
        assertThrows(MetricsUnavailableException.class, () -> source.readTenants("eu-west"))
            .getMessage());
  }

  @Test
  void anInstanceThatCannotBeReachedIsLeftOut() throws Exception {
    Map<String, RaterSample> read =
        source(List.of(deadUrl, url)).read("local", "stable", Set.of("idle"));

    assertEquals(Set.of(url), read.keySet());
    assertEquals(0, read.get(url).requests(), "idle has no requests");
  }

  @Test
  void noInstanceReadableIsAnError() {
    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class,
            () -> source(List.of(deadUrl)).read("local", "stable", Set.of("idle")));

    assertEquals(
        "none of the 1 rater instances of region local, track stable, could be read"
            + " (the first: connection refused)",
        e.getMessage());
  }

  @Test
  void anErrorStatusLeavesTheInstanceOut() {
    String missing = url.replace("/metrics", "/no-such-path");

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class,
            () -> source(List.of(missing)).read("local", "stable", Set.of("idle")));

    assertTrue(e.getMessage().endsWith("(the first: HTTP 404)"), e.getMessage());
  }

  @Test
  void aBodyOverTheLimitIsRefused() {
    DirectMetricsSource small =
        new DirectMetricsSource(
            DirectMetricsSource.defaultHttpClient(),
            Map.of("local", Map.of("stable", List.of(url))),
            new PrometheusText(1024, RaterSeries::isRaterMetric));

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class, () -> small.read("local", "stable", Set.of("idle")));

    assertTrue(e.getMessage().endsWith("(the first: the body is larger than 1024 bytes)"));
  }

  @Test
  void aTrackWithoutInstancesReadsAsNone() throws Exception {
    assertEquals(Map.of(), source(List.of(url)).read("local", "canary", Set.of("idle")));
  }

  @Test
  void refusesWhatItIsNotConfiguredForOrCannotUse() {
    DirectMetricsSource source = source(List.of(url));

    assertEquals(
        "no rater metrics endpoints are configured for region eu-west",
        assertThrows(
                MetricsUnavailableException.class,
                () -> source.read("eu-west", "stable", Set.of("idle")))
            .getMessage());
    assertEquals(
        "a tenant id is not a valid tenant id",
        assertThrows(
                MetricsUnavailableException.class,
                () -> source.read("local", "stable", Set.of("Bad\"Tenant")))
            .getMessage());
    assertEquals(
        "the region name may contain only lowercase letters, digits and '-'",
        assertThrows(
                MetricsUnavailableException.class,
                () -> source.read("../x", "stable", Set.of("idle")))
            .getMessage());
  }

  @Test
  void refusesEndpointsWithCredentialsWithoutQuotingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> source(List.of("http://user:t0ps3cret@127.0.0.1:1/metrics")));

    assertFalse(e.getMessage().contains("t0ps3cret"));
    assertThrows(IllegalArgumentException.class, () -> source(List.of("ftp://127.0.0.1/metrics")));
  }

  private DirectMetricsSource source(List<String> stable) {
    return new DirectMetricsSource(Map.of("local", Map.of("stable", stable)));
  }

  private static Map<String, RaterSample> read(DirectMetricsSource source, Set<String> tenants) {
    try {
      return source.read("local", "stable", tenants);
    } catch (MetricsUnavailableException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static Map<String, Map<String, RaterSample>> readTenants(DirectMetricsSource source) {
    try {
      return source.readTenants("local");
    } catch (MetricsUnavailableException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
