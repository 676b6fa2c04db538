package dev.clawrate.operator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.contract.testing.Fixtures;
import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.api.RatingModel;
import dev.clawrate.operator.model.ModuleFetcher;
import dev.clawrate.operator.status.ConditionSet;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module downloads run off the reconcile path: a model whose server holds its download does not
 * hold the reconcile of any other model, and reports that it is downloading meanwhile.
 */
class ModuleDownloadIntegrationTest {

  private static final byte[] SLOW_MODULE = Fixtures.module("constant-b");
  private static final byte[] QUICK_MODULE = Fixtures.module("constant-a");

  @TempDir Path stateDir;
  private final MockWebServer server = new MockWebServer();
  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private OperatorHarness region;

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            requested.countDown();
            // Holds the download until the test lets go (or gives up), as a stalled server would.
            release.await(60, TimeUnit.SECONDS);
            return new MockResponse().setBody(new Buffer().write(SLOW_MODULE));
          }
        });
    server.start();
    region = new OperatorHarness(stateDir, toMockServer());
  }

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    region.close();
    server.shutdown();
  }

  /** Module URLs are https; this sends them to the plain-http mock server, on loopback. */
  private OkHttpClient toMockServer() {
    return ModuleFetcher.defaultHttpClient()
        .newBuilder()
        .addInterceptor(
            chain -> {
              Request request = chain.request();
              HttpUrl target =
                  request
                      .url()
                      .newBuilder()
                      .scheme("http")
                      .host(server.getHostName())
                      .port(server.getPort())
                      .build();
              return chain.proceed(request.newBuilder().url(target).build());
            })
        .build();
  }

  private static Condition condition(RatingModel model, String type) {
    return model.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElse(null);
  }

  private static boolean hasCondition(RatingModel m, String type, String status, String reason) {
    if (m == null || m.getStatus() == null || m.getStatus().getConditions() == null) {
      return false;
    }
    Condition c = condition(m, type);
    return c != null
        && c.getStatus().equals(status)
        && (reason == null || reason.equals(c.getReason()));
  }

  @Test
  void aSlowDownloadDoesNotHoldTheReconcileOfAnotherModel() throws Exception {
    ModuleSource slow = new ModuleSource();
    slow.setUrl("https://models.example.com/slow.wasm");
    slow.setSha256(ModuleDigest.hex(ModuleDigest.of(SLOW_MODULE)));
    region.applyModel("slow", slow);
    assertTrue(requested.await(60, TimeUnit.SECONDS), "the download reached the server");

    RatingModel downloading =
        Await.value(
            "the slow model reports that it is downloading",
            () -> region.model("slow"),
            m -> hasCondition(m, ClawrateApi.PROGRESSING, "True", "Downloading"));
    assertEquals("False", condition(downloading, ClawrateApi.READY).getStatus());

    region.applyModel("quick", QUICK_MODULE);
    RatingModel quick =
        Await.value(
            "the other model becomes Ready while the slow download is held",
            () -> region.model("quick"),
            m ->
                m != null
                    && m.getStatus() != null
                    && ConditionSet.isTrue(m.getStatus().getConditions(), ClawrateApi.READY));
    assertEquals(ModuleDigest.of(QUICK_MODULE), quick.getStatus().getDigest());
    assertEquals(1, release.getCount(), "the slow server still holds the download");
    assertFalse(
        hasCondition(region.model("slow"), ClawrateApi.VALIDATED, "True", null),
        "the slow model cannot have validated yet");

    release.countDown();
    RatingModel done =
        Await.value(
            "the slow model validates once its download ends",
            () -> region.model("slow"),
            m -> hasCondition(m, ClawrateApi.VALIDATED, "True", null));
    assertEquals(ModuleDigest.of(SLOW_MODULE), done.getStatus().getDigest());
  }
}
