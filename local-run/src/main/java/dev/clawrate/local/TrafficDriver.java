package dev.clawrate.local;

import dev.clawrate.operator.Threads;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Steady rating traffic for one tenant through each region's gateway: what a canary release is
 * judged on in the local run and in tests. Requests go out at a fixed rate per region and are not
 * waited for, so a slow backend slows nothing; each answer is counted by the backend the gateway
 * chose and by status.
 */
public final class TrafficDriver implements AutoCloseable {

  /** Answers counted by region, then by {@code backend status} (e.g. {@code canary 200}). */
  private final Map<String, Map<String, AtomicLong>> answers = new ConcurrentHashMap<>();

  private static final MediaType JSON = MediaType.get("application/json");

  private final AtomicLong sent = new AtomicLong();
  private final ScheduledExecutorService ticker = Threads.single("clawrate-traffic");
  private final OkHttpClient http =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(2))
          .callTimeout(Duration.ofSeconds(5))
          .build();

  private TrafficDriver() {}

  /**
   * @param gateways each region's gateway base URL
   * @param body the request body; each request pads it with 0 to 3 trailing spaces in turn, so
   *     inputs vary in length as live ones do
   * @param perSecond requests per second to each region
   */
  public static TrafficDriver start(
      Map<String, URI> gateways, String tenant, String body, int perSecond) {
    TrafficDriver driver = new TrafficDriver();
    long periodMicros = 1_000_000L / Math.max(1, perSecond);
    gateways.forEach(
        (region, gateway) ->
            driver.ticker.scheduleAtFixedRate(
                () -> driver.send(region, gateway, tenant, body),
                0,
                periodMicros,
                TimeUnit.MICROSECONDS));
    return driver;
  }

  private void send(String region, URI gateway, String tenant, String body) {
    long n = sent.incrementAndGet();
    Request request =
        new Request.Builder()
            .url(gateway.resolve("/v1/rate").toString())
            .header("X-Tenant-Id", tenant)
            .post(RequestBody.create(body + " ".repeat((int) (n % 4)), JSON))
            .build();
    http.newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                count(region, "none failed");
              }

              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  String backend = response.header(LocalGateway.BACKEND_HEADER);
                  count(region, (backend == null ? "none" : backend) + " " + response.code());
                }
              }
            });
  }

  private void count(String region, String key) {
    answers
        .computeIfAbsent(region, r -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new AtomicLong())
        .incrementAndGet();
  }

  /** Answers so far, by region then {@code backend status}. */
  public Map<String, Map<String, Long>> answers() {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    answers.forEach(
        (region, counts) -> {
          Map<String, Long> regionCopy = new TreeMap<>();
          counts.forEach((key, count) -> regionCopy.put(key, count.get()));
          copy.put(region, regionCopy);
        });
    return copy;
  }

  /** Answers of a region that came from a backend, whatever their status. */
  public long from(String region, String backend) {
    return answers().getOrDefault(region, Map.of()).entrySet().stream()
        .filter(e -> e.getKey().startsWith(backend + " "))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
