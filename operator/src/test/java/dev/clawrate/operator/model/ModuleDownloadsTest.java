package dev.clawrate.operator.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.engine.ModuleDigest;
import dev.clawrate.contract.testing.Await;
import dev.clawrate.operator.api.ModuleSource;
import dev.clawrate.operator.render.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Downloads without a network: an interceptor answers, and holds answers until told. */
class ModuleDownloadsTest {

  private static final byte[] MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};
  private static final ResourceKey MODEL = ResourceKey.model("ns", "scorer");

  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  // Per URL path: the latch its answer waits for, and the status it answers.
  private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final List<ResourceKey> done = new CopyOnWriteArrayList<>();
  private final ModuleDownloads downloads =
      new ModuleDownloads(new ModuleFetcher(null, answering()), executor);

  {
    downloads.onDone(done::add);
  }

  @AfterEach
  void stop() {
    holds.values().forEach(CountDownLatch::countDown);
    executor.shutdownNow();
  }

  private OkHttpClient answering() {
    return new OkHttpClient.Builder()
        .addInterceptor(
            chain -> {
              String path = chain.request().url().encodedPath();
              CountDownLatch hold = holds.get(path);
              if (hold != null) {
                try {
                  hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new java.io.InterruptedIOException("cancelled");
                }
              }
              return new Response.Builder()
                  .request(chain.request())
                  .protocol(Protocol.HTTP_1_1)
                  .code(statuses.getOrDefault(path, 200))
                  .message("REMOTE-REASON")
                  .body(ResponseBody.create(MODULE, MediaType.get("application/wasm")))
                  .build();
            })
        .build();
  }

  private static ModuleSource url(String path) {
    ModuleSource source = new ModuleSource();
    source.setUrl("https://models.example.com" + path);
    source.setSha256(ModuleDigest.hex(ModuleDigest.of(MODULE)));
    return source;
  }

  @Test
  void theFirstPollStartsTheDownloadAndALaterOneTakesItsModule() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    holds.put("/a.wasm", hold);

    assertTrue(downloads.poll(MODEL, url("/a.wasm")).isEmpty(), "started, in flight");
    assertTrue(downloads.poll(MODEL, url("/a.wasm")).isEmpty(), "still in flight");
    assertEquals(List.of(), done);

    hold.countDown();
    Await.until("the model is woken", () -> done.contains(MODEL));
    assertArrayEquals(MODULE, downloads.poll(MODEL, url("/a.wasm")).orElseThrow());
    assertTrue(downloads.poll(MODEL, url("/a.wasm")).isEmpty(), "taken: a new poll starts anew");
  }

  @Test
  void aFailedDownloadIsReportedOnTheNextPollWithoutWhatTheRemoteSent() throws Exception {
    statuses.put("/missing.wasm", 404);
    assertTrue(downloads.poll(MODEL, url("/missing.wasm")).isEmpty());
    Await.until("the model is woken", () -> done.contains(MODEL));

    ModuleFetchException e =
        assertThrows(ModuleFetchException.class, () -> downloads.poll(MODEL, url("/missing.wasm")));
    assertEquals("DownloadFailed", e.reason());
    assertEquals("downloading the module answered HTTP 404", e.getMessage());
  }

  @Test
  void anotherUrlCancelsTheDownloadInFlightAndStartsItsOwn() throws Exception {
    holds.put("/old.wasm", new CountDownLatch(1));
    assertTrue(downloads.poll(MODEL, url("/old.wasm")).isEmpty());

    assertTrue(downloads.poll(MODEL, url("/new.wasm")).isEmpty());
    Await.until(
        "the new download is taken",
        () -> {
          try {
            return downloads.poll(MODEL, url("/new.wasm")).isPresent();
          } catch (ModuleFetchException e) {
            throw new AssertionError(e);
          }
        });
  }

  @Test
  void aHeldDownloadDoesNotHoldAnotherModelsDownload() throws Exception {
    holds.put("/held.wasm", new CountDownLatch(1));
    ResourceKey other = ResourceKey.model("ns", "other");
    assertTrue(downloads.poll(MODEL, url("/held.wasm")).isEmpty());
    assertTrue(downloads.poll(other, url("/free.wasm")).isEmpty());

    Await.until("the other model is woken", () -> done.contains(other));
    assertArrayEquals(MODULE, downloads.poll(other, url("/free.wasm")).orElseThrow());
    assertTrue(downloads.poll(MODEL, url("/held.wasm")).isEmpty(), "the held one is in flight");
  }
}
