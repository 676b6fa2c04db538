package dev.clawrate.operator.egress;

import static dev.clawrate.operator.egress.EgressPolicyTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real calls through a guarded okhttp client to a server on 127.0.0.1. */
class EgressClientsTest {

  private static final EgressPolicy ONLY_127_0_0_1 =
      EgressPolicy.defaults().allowing(List.of(Cidr.parse("127.0.0.1/32")));

  private MockWebServer server;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(address("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  /** Public-looking names that resolve to loopback or to the cloud's metadata address. */
  private static final Dns NAMES =
      hostname -> {
        Map<String, String> table =
            Map.of(
                "models.example.com", "127.0.0.1",
                "metadata.example.com", "169.254.169.254",
                "other.example.com", "127.0.0.2");
        String address = table.get(hostname);
        if (address == null) {
          throw new UnknownHostException("no test address");
        }
        return List.of(address(address));
      };

  private static OkHttpClient client(EgressPolicy policy) {
    return EgressClients.guarded(
        new OkHttpClient.Builder().dns(NAMES).callTimeout(Duration.ofSeconds(10)).build(), policy);
  }

  private HttpUrl url(String host) {
    return new HttpUrl.Builder()
        .scheme("http")
        .host(host)
        .port(server.getPort())
        .addPathSegment("m.wasm")
        .build();
  }

  private static String get(OkHttpClient client, HttpUrl url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code() + " " + response.body().string();
    }
  }

  private static EgressRefusal refusal(OkHttpClient client, HttpUrl url) {
    return assertThrows(EgressRefusedException.class, () -> get(client, url)).refusal();
  }

  @Test
  void anIpAddressInTheUrlIsCheckedThoughOkhttpResolvesNoName() throws IOException {
    assertEquals(
        EgressRefusal.LOOPBACK, refusal(client(EgressPolicy.defaults()), url("127.0.0.1")));
    assertEquals(0, server.getRequestCount(), "nothing reached the server");

    server.enqueue(new MockResponse().setBody("module"));
    OkHttpClient allowed = client(EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK));
    assertEquals("200 module", get(allowed, url("127.0.0.1")));
  }

  @Test
  void aNameResolvingToARefusedAddressIsRefused() throws IOException {
    assertEquals(
        EgressRefusal.LOOPBACK,
        refusal(client(EgressPolicy.defaults()), url("models.example.com")));
    assertEquals(0, server.getRequestCount());

    server.enqueue(new MockResponse().setBody("module"));
    assertEquals("200 module", get(client(ONLY_127_0_0_1), url("models.example.com")));
  }

  @Test
  void anInternalNameIsRefusedUnlessItResolvesIntoTheAllowList() throws IOException {
    OkHttpClient defaults = client(EgressPolicy.defaults());
    assertEquals(EgressRefusal.INTERNAL_NAME, refusal(defaults, url("localhost")));
    assertEquals(EgressRefusal.INTERNAL_NAME, refusal(defaults, url("api.default.svc")));

    server.enqueue(new MockResponse().setBody("module"));
    OkHttpClient system =
        EgressClients.guarded(
            new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build(),
            EgressPolicy.defaults().allowing(EgressPolicy.LOOPBACK));
    assertEquals("200 module", get(system, url("localhost")));
  }

  @Test
  void aRedirectFromAnAllowedServerToARefusedAddressIsRefused() {
    OkHttpClient client = client(ONLY_127_0_0_1);
    server.enqueue(redirectTo("http://127.0.0.2:" + server.getPort() + "/latest"));
    server.enqueue(redirectTo("http://metadata.example.com/latest/meta-data/"));
    server.enqueue(redirectTo("http://other.example.com:" + server.getPort() + "/"));
    server.enqueue(redirectTo("http://[::1]:" + server.getPort() + "/"));

    assertEquals(EgressRefusal.LOOPBACK, refusal(client, url("127.0.0.1")));
    assertEquals(EgressRefusal.LINK_LOCAL, refusal(client, url("models.example.com")));
    assertEquals(EgressRefusal.LOOPBACK, refusal(client, url("models.example.com")));
    assertEquals(EgressRefusal.LOOPBACK, refusal(client, url("127.0.0.1")));
    assertEquals(4, server.getRequestCount(), "each first hop was served, no second one");
  }

  @Test
  void aConfiguredProxyIsNotUsed() throws IOException {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start(address("127.0.0.1"), 0);
      proxy.enqueue(new MockResponse().setBody("from the proxy"));
      server.enqueue(new MockResponse().setBody("module"));
      OkHttpClient client =
          EgressClients.guarded(
              new OkHttpClient.Builder()
                  .dns(NAMES)
                  .proxy(
                      new Proxy(
                          Proxy.Type.HTTP,
                          new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getPort())))
                  .callTimeout(Duration.ofSeconds(10))
                  .build(),
              ONLY_127_0_0_1);

      assertEquals("200 module", get(client, url("models.example.com")));
      assertEquals(0, proxy.getRequestCount());
    }
  }

  private static MockResponse redirectTo(String location) {
    return new MockResponse().setResponseCode(302).setHeader("Location", location);
  }
}
