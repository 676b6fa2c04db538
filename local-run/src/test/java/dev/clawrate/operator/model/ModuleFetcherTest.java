package dev.clawrate.operator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.local.LocalCluster;
import dev.clawrate.operator.api.ConfigMapKeyRef;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.egress.EgressClients;
import dev.clawrate.operator.egress.EgressPolicy;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModuleFetcherTest {

  private static final String NS = "models";
  private static final byte[] MODULE = Fixtures.module("constant-a");
  private static final String HEX = ModuleDigest.hex(ModuleDigest.of(MODULE));
  private static final String SECRET = "t0ps3cret";

  /** An https URL carrying credentials; it must never show up in a message. */
  private static final String URL =
      "https://reader:" + SECRET + "@models.example.com/scorecard/v3.wasm?token=" + SECRET;

  private static LocalCluster cluster;
  private MockWebServer server;
  private ModuleFetcher fetcher;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start(0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    server.start();
    fetcher = new ModuleFetcher(cluster.client(), redirectingToMockServer());
  }

  @AfterEach
  void tearDown() throws IOException {
    server.shutdown();
  }

  /**
   * The fetcher only accepts https, and there is no TLS test dependency: an application interceptor
   * sends every https request to the plain-http mock server instead, keeping path and query.
   */
  private OkHttpClient redirectingToMockServer() {
    return redirectingTo(server.getHostName());
  }

  /** As {@link #redirectingToMockServer}, naming the server by this host. */
  private OkHttpClient redirectingTo(String host) {
    return new OkHttpClient.Builder()
        .addInterceptor(
            chain -> {
              Request request = chain.request();
              HttpUrl target =
                  request
                      .url()
                      .newBuilder()
                      .scheme("http")
                      .host(host)
                      .port(server.getPort())
                      .build();
              return chain.proceed(request.newBuilder().url(target).build());
            })
        .callTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static ModuleSource inline(String base64) {
    ModuleSource source = new ModuleSource();
    source.setInline(base64);
    return source;
  }

  private static ModuleSource configMap(String name, String key) {
    ModuleSource source = new ModuleSource();
    source.setConfigMapKeyRef(new ConfigMapKeyRef(name, key));
    return source;
  }

  private static ModuleSource url(String url, String sha256) {
    ModuleSource source = new ModuleSource();
    source.setUrl(url);
    source.setSha256(sha256);
    return source;
  }

  private ModuleFetchException failure(ModuleSource source, String reason) {
    ModuleFetchException e =
        assertThrows(ModuleFetchException.class, () -> fetcher.fetch(NS, source));
    assertEquals(reason, e.reason(), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    assertFalse(e.getMessage().contains("models.example.com"), e.getMessage());
    return e;
  }

  private static Buffer bytes(int size) {
    Buffer buffer = new Buffer();
    buffer.write(new byte[size]);
    return buffer;
  }

  // --- inline ---

  @Test
  void inlineBase64() throws Exception {
    assertArrayEquals(
        MODULE, fetcher.fetch(NS, inline(Base64.getEncoder().encodeToString(MODULE))));
  }

  @Test
  void inlineBase64WithLineBreaksAndMatchingSha256() throws Exception {
    ModuleSource source = inline(Base64.getMimeEncoder().encodeToString(MODULE));
    source.setSha256(HEX);
    assertArrayEquals(MODULE, fetcher.fetch(NS, source));
  }

  @Test
  void inlineWithADanglingCharacterIsInvalidBase64() {
    failure(inline("AGFzb"), "InvalidBase64");
  }

  @Test
  void inlineTextThatIsNotBase64IsInvalidBase64() {
    failure(inline("not base64 at all!"), "InvalidBase64");
    failure(inline("%%%%"), "InvalidBase64");
    failure(
        inline(Base64.getUrlEncoder().encodeToString(new byte[] {-5, -17, -1, 0})),
        "InvalidBase64");
  }

  @Test
  void emptyModule() {
    failure(inline(""), "EmptyModule");
  }

  @Test
  void sha256MismatchIsDigestMismatch() {
    ModuleSource source = inline(Base64.getEncoder().encodeToString(MODULE));
    source.setSha256("0".repeat(64));
    ModuleFetchException e = failure(source, "DigestMismatch");
    assertTrue(e.getMessage().contains(HEX), e.getMessage());
  }

  @Test
  void uppercaseSha256IsAccepted() throws Exception {
    ModuleSource source = inline(Base64.getEncoder().encodeToString(MODULE));
    source.setSha256(HEX.toUpperCase());
    assertArrayEquals(MODULE, fetcher.fetch(NS, source));
  }

  @Test
  void moduleOverTheLimitIsTooLarge() {
    byte[] big = new byte[ModuleFetcher.MAX_MODULE_BYTES + 1];
    failure(inline(Base64.getEncoder().encodeToString(big)), "ModuleTooLarge");
  }

  @Test
  void inlineTextFarOverTheLimitIsRejectedBeforeDecoding() {
    failure(inline("A".repeat(4 * ModuleFetcher.MAX_MODULE_BYTES)), "ModuleTooLarge");
  }

  @Test
  void moduleAtTheLimitIsAccepted() throws Exception {
    byte[] exact = new byte[ModuleFetcher.MAX_MODULE_BYTES];
    exact[0] = 1;
    assertEquals(
        ModuleFetcher.MAX_MODULE_BYTES,
        fetcher.fetch(NS, inline(Base64.getEncoder().encodeToString(exact))).length);
  }

  @Test
  void noSourceOrTwoSourcesIsInvalidSource() {
    failure(new ModuleSource(), "InvalidSource");
    ModuleSource two = inline(Base64.getEncoder().encodeToString(MODULE));
    two.setConfigMapKeyRef(new ConfigMapKeyRef("m", "module.wasm"));
    failure(two, "InvalidSource");
  }

  // --- configMapKeyRef ---

  private void createConfigMap(String name, String binaryKey, String dataKey, String value) {
    ConfigMapBuilder builder =
        new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata();
    if (binaryKey != null) {
      builder.addToBinaryData(binaryKey, value);
    }
    if (dataKey != null) {
      builder.addToData(dataKey, value);
    }
    cluster
        .client()
        .configMaps()
        .inNamespace(NS)
        .resource(builder.build())
        .createOr(r -> r.update());
  }

  @Test
  void configMapBinaryData() throws Exception {
    createConfigMap("binary", "scorecard.wasm", null, Base64.getEncoder().encodeToString(MODULE));
    ModuleSource source = configMap("binary", "scorecard.wasm");
    source.setSha256(HEX);
    assertArrayEquals(MODULE, fetcher.fetch(NS, source));
  }

  @Test
  void configMapDataHoldingBase64Text() throws Exception {
    createConfigMap(
        "text", null, "scorecard.b64", Base64.getMimeEncoder().encodeToString(MODULE) + "\n");
    assertArrayEquals(MODULE, fetcher.fetch(NS, configMap("text", "scorecard.b64")));
  }

  @Test
  void missingConfigMap() {
    ModuleFetchException e = failure(configMap("absent", "module.wasm"), "ConfigMapNotFound");
    assertTrue(e.getMessage().contains(NS + "/absent"), e.getMessage());
  }

  @Test
  void missingKey() {
    createConfigMap("other-key", "other.wasm", null, Base64.getEncoder().encodeToString(MODULE));
    ModuleFetchException e = failure(configMap("other-key", "module.wasm"), "ConfigMapKeyNotFound");
    assertTrue(e.getMessage().contains("module.wasm"), e.getMessage());
  }

  @Test
  void configMapInAnotherNamespaceIsNotFound() {
    cluster
        .client()
        .configMaps()
        .inNamespace("elsewhere")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("shared-module")
                .withNamespace("elsewhere")
                .endMetadata()
                .addToBinaryData("module.wasm", Base64.getEncoder().encodeToString(MODULE))
                .build())
        .create();
    failure(configMap("shared-module", "module.wasm"), "ConfigMapNotFound");
  }

  /** An API server address with nothing listening: a request there fails, never with a reason. */
  private static KubernetesClient clientOfNothing() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  @Test
  void configMapNamesAndKeysOutsideTheirSyntaxAreRefusedBeforeAnyRequest() throws IOException {
    try (KubernetesClient nothing = clientOfNothing()) {
      ModuleFetcher offline = new ModuleFetcher(nothing, redirectingToMockServer());
      // The control: a well-formed reference does reach for the API server.
      assertThrows(
          KubernetesClientException.class,
          () -> offline.fetch(NS, configMap("scorer-module", "scorer.wasm")));

      for (String name :
          List.of(
              "../../team-b/secrets/db-creds",
              "team-b/db-creds",
              "..",
              "Scorer-Module",
              "m".repeat(300),
              "")) {
        ModuleFetchException e =
            assertThrows(
                ModuleFetchException.class,
                () -> offline.fetch(NS, configMap(name, "scorer.wasm")),
                name);
        assertEquals("InvalidSource", e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("module.configMapKeyRef.name "), e.getMessage());
        assertFalse(e.getMessage().contains("db-creds"), e.getMessage());
        assertFalse(e.getMessage().contains("mmmm"), e.getMessage());
      }
      for (String key : List.of("../scorer.wasm", "dir/scorer.wasm", "..", "")) {
        ModuleFetchException e =
            assertThrows(
                ModuleFetchException.class,
                () -> offline.fetch(NS, configMap("scorer-module", key)),
                key);
        assertEquals("InvalidSource", e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("module.configMapKeyRef.key "), e.getMessage());
      }
      ModuleFetchException e =
          assertThrows(
              ModuleFetchException.class,
              () -> offline.fetch("../kube-system", configMap("scorer-module", "scorer.wasm")));
      assertEquals("InvalidSource", e.reason(), e.getMessage());
      assertFalse(e.getMessage().contains("kube-system"), e.getMessage());
    }
  }

  @Test
  void aNameClimbingIntoAnotherNamespacesSecretsReadsNothing() {
    cluster
        .client()
        .secrets()
        .inNamespace("team-b")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db-creds")
                .withNamespace("team-b")
                .endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString(SECRET.getBytes()))
                .build())
        .create();
    ModuleFetchException e =
        failure(configMap("../../team-b/secrets/db-creds", "password"), "InvalidSource");
    assertFalse(e.getMessage().contains("db-creds"), e.getMessage());
  }

  @Test
  void aConfigMapValueThatIsNotBase64IsNotQuoted() {
    createConfigMap("not-base64", null, "scorer.wasm", "password=" + SECRET + "!");
    ModuleFetchException e = failure(configMap("not-base64", "scorer.wasm"), "InvalidBase64");
    assertFalse(e.getMessage().contains("password"), e.getMessage());
  }

  @Test
  void aSha256ThatIsNotHexIsRefusedWithoutQuotingIt() {
    ModuleSource source = inline(Base64.getEncoder().encodeToString(MODULE));
    source.setSha256(SECRET + "0".repeat(64 - SECRET.length()));
    failure(source, "InvalidSource");
    source.setSha256(HEX + "00");
    ModuleFetchException e = failure(source, "InvalidSource");
    assertFalse(e.getMessage().contains(HEX), e.getMessage());
  }

  // --- url ---

  @Test
  void plainHttpIsRefusedWithoutARequest() {
    failure(url("http://models.example.com/m.wasm", HEX), "InvalidSource");
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void urlWithoutSha256IsRefusedWithoutARequest() {
    failure(url(URL, null), "InvalidSource");
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void malformedUrlIsInvalidSource() {
    failure(url("https://models.example.com:notaport/" + SECRET, HEX), "InvalidSource");
  }

  @Test
  void downloadWithMatchingSha256() throws Exception {
    server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));
    assertArrayEquals(MODULE, fetcher.fetch(NS, url(URL, HEX)));
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("GET", request.getMethod());
    assertEquals("/scorecard/v3.wasm?token=" + SECRET, request.getPath());
    assertEquals("application/wasm", request.getHeader("Accept"));
  }

  @Test
  void downloadWithOtherSha256IsDigestMismatch() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));
    failure(url(URL, "1".repeat(64)), "DigestMismatch");
  }

  @Test
  void notFoundIsDownloadFailed() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("no such module at " + URL));
    ModuleFetchException e = failure(url(URL, HEX), "DownloadFailed");
    assertTrue(e.getMessage().contains("404"), e.getMessage());
  }

  @Test
  void serverErrorIsDownloadFailed() {
    server.enqueue(new MockResponse().setResponseCode(503));
    failure(url(URL, HEX), "DownloadFailed");
  }

  @Test
  void emptyBodyIsEmptyModule() {
    server.enqueue(new MockResponse().setBody(""));
    failure(url(URL, HEX), "EmptyModule");
  }

  @Test
  void bodyOverTheLimitIsTooLarge() {
    // Chunked: no Content-Length, so the limit is enforced while reading.
    server.enqueue(
        new MockResponse().setChunkedBody(bytes(ModuleFetcher.MAX_MODULE_BYTES + 1), 64 * 1024));
    failure(url(URL, HEX), "ModuleTooLarge");
  }

  @Test
  void contentLengthOverTheLimitIsRejectedBeforeReading() {
    // Announces more than the limit but sends four bytes: reading the body would fail with an
    // I/O error (DownloadFailed), so ModuleTooLarge proves the header was checked first.
    server.enqueue(
        new MockResponse()
            .setBody("tiny")
            .setHeader("Content-Length", Integer.toString(ModuleFetcher.MAX_MODULE_BYTES + 1)));
    failure(url(URL, HEX), "ModuleTooLarge");
  }

  @Test
  void anAddressTheEgressPolicyRefusesIsAddressRefusedWithoutARequest() {
    fetcher =
        new ModuleFetcher(
            cluster.client(),
            EgressClients.guarded(redirectingTo("127.0.0.1"), EgressPolicy.defaults()));
    server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));

    ModuleFetchException e = failure(url(URL, HEX), "AddressRefused");

    assertEquals(
        "module.url is refused by the operator's egress policy: a loopback address",
        e.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void theLoopbackAllowListLetsADownloadFromLoopbackThrough() throws Exception {
    fetcher =
        new ModuleFetcher(
            cluster.client(),
            EgressClients.guarded(
                redirectingToMockServer(),
                EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK)));
    server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));

    assertArrayEquals(MODULE, fetcher.fetch(NS, url(URL, HEX)));
  }

  @Test
  void connectionFailureIsDownloadFailedWithoutTheUrl() throws IOException {
    server.shutdown();
    ModuleFetchException e = failure(url(URL, HEX), "DownloadFailed");
    assertFalse(e.getMessage().contains(String.valueOf(server.getPort())), e.getMessage());
  }

  // --- redirects, internal addresses, what the remote sent ---

  @Test
  void aRedirectWithinTheSameHostIsFollowed() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/blobs/abc"));
    server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));

    assertArrayEquals(MODULE, fetcher.fetch(NS, url(URL, HEX)));
    server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("/blobs/abc", server.takeRequest(5, TimeUnit.SECONDS).getPath());
  }

  @Test
  void aRedirectToAnotherHostIsRefusedWithAClearStatusAndNotFollowed() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(302)
            .setHeader("Location", "https://169.254.169.254/latest/meta-data/iam"));
    server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));

    ModuleFetchException e = failure(url(URL, HEX), "RedirectRefused");

    assertEquals(
        "downloading the module was redirected (HTTP 302) to another host, scheme or port; only"
            + " redirects within module.url's own host are followed",
        e.getMessage());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void endlessSameHostRedirectsStopAtTheCap() {
    for (int i = 0; i <= ModuleRedirects.MAX_REDIRECTS; i++) {
      server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "/again"));
    }
    failure(url(URL, HEX), "RedirectRefused");
    assertEquals(ModuleRedirects.MAX_REDIRECTS + 1, server.getRequestCount());
  }

  @Test
  void whatTheRemoteSentIsNotEchoed() {
    server.enqueue(
        new MockResponse()
            .setStatus("HTTP/1.1 500 REMOTE-REASON")
            .setHeader("X-Detail", "REMOTE-HEADER")
            .setBody("REMOTE-BODY <script>"));

    ModuleFetchException e = failure(url(URL, HEX), "DownloadFailed");

    assertEquals("downloading the module answered HTTP 500", e.getMessage());
  }

  @Test
  void aDownloadOverItsTimeLimitIsDownloadTimedOut() {
    fetcher = new ModuleFetcher(cluster.client(), redirectingToMockServer(), Duration.ofSeconds(1));
    server.enqueue(
        new MockResponse()
            .setBody(new Buffer().write(MODULE))
            .throttleBody(16, 1, TimeUnit.SECONDS));

    ModuleFetchException e = failure(url(URL, HEX), "DownloadTimedOut");

    assertEquals(
        "downloading the module timed out (it may take 1 s in all, redirects included)",
        e.getMessage());
  }

  /** The hosts a URL might name to reach the node, the cloud's metadata or the cluster. */
  private static final List<String> INTERNAL =
      List.of("127.0.0.1", "169.254.169.254", "10.0.0.1", "::1", "::ffff:127.0.0.1");

  @Test
  void internalAddressesAreRefusedByDefaultWithoutARequest() {
    for (String host : INTERNAL) {
      fetcher =
          new ModuleFetcher(
              cluster.client(),
              EgressClients.guarded(redirectingTo(host), EgressPolicy.defaults()));
      ModuleFetchException e = failure(url(URL, HEX), "AddressRefused");
      assertTrue(e.getMessage().startsWith("module.url is refused"), host + ": " + e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void theAllowListLetsLoopbackInAnyFormThrough() throws Exception {
    for (String host : List.of("127.0.0.1", "::ffff:127.0.0.1")) {
      fetcher =
          new ModuleFetcher(
              cluster.client(),
              EgressClients.guarded(
                  redirectingTo(host), EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK)));
      server.enqueue(new MockResponse().setBody(new Buffer().write(MODULE)));
      assertArrayEquals(MODULE, fetcher.fetch(NS, url(URL, HEX)), host);
    }
  }
}
