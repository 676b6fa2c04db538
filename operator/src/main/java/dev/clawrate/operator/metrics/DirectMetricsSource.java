package dev.clawrate.operator.metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Scrapes raters' {@code /metrics} at URLs known beforehand, per region and track: for the local
 * run and tests, where the raters' addresses are known. All instances of a read are scraped at
 * once; one that cannot be read is left out (and logged when that changes).
 */
public final class DirectMetricsSource implements MetricsSource {

  private static final Duration NO_CALL_TIMEOUT_WAIT = Duration.ofSeconds(30);

  private final OkHttpClient http;
  private final Map<String, Map<String, List<HttpUrl>>> endpoints;
  private final PrometheusText parser;
  private final ScrapeOutcomes outcomes = new ScrapeOutcomes("direct");

  /**
   * @param endpoints region to track to the raters' metrics URLs ({@code http} or {@code https},
   *     without credentials or query: a URL is the instance's key, and may reach status)
   * @throws IllegalArgumentException when a URL is not one
   */
  public DirectMetricsSource(
      OkHttpClient http, Map<String, Map<String, List<String>>> endpoints, PrometheusText parser) {
    this.http = http;
    this.parser = parser;
    Map<String, Map<String, List<HttpUrl>>> urls = new HashMap<>();
    endpoints.forEach(
        (region, tracks) -> {
          Map<String, List<HttpUrl>> byTrack = new HashMap<>();
          tracks.forEach(
              (track, list) ->
                  byTrack.put(track, list.stream().map(DirectMetricsSource::url).toList()));
          urls.put(region, Map.copyOf(byTrack));
        });
    this.endpoints = Map.copyOf(urls);
  }

  public DirectMetricsSource(Map<String, Map<String, List<String>>> endpoints) {
    this(defaultHttpClient(), endpoints, PrometheusText.forRaters());
  }

  /**
   * Short timeouts: a rater that does not answer within them is left out of this read. Locally
   * every rater is on one host, so more than okhttp's default of 5 calls a host run at once: a
   * queued call's time would otherwise run out before it started.
   */
  public static OkHttpClient defaultHttpClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(32);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(10))
        .followRedirects(false)
        .build();
  }

  @Override
  public Map<String, RaterSample> read(String region, String track, Set<String> tenants)
      throws MetricsUnavailableException {
    ReadArguments.check(region, track, tenants);
    Map<String, List<HttpUrl>> tracks = endpoints.get(region);
    if (tracks == null) {
      throw new MetricsUnavailableException(
          "no rater metrics endpoints are configured for region " + region);
    }
    List<HttpUrl> urls = tracks.getOrDefault(track, List.of());
    List<Call> calls = new ArrayList<>();
    List<CompletableFuture<Scrape>> pending = new ArrayList<>();
    for (HttpUrl url : urls) {
      Call call =
          http.newCall(
              new Request.Builder().url(url).header("Accept", "text/plain;version=0.0.4").build());
      CompletableFuture<Scrape> scrape = new CompletableFuture<>();
      call.enqueue(new ScrapeCallback(url.toString(), scrape));
      calls.add(call);
      pending.add(scrape);
    }
    return outcomes.toSamples(region, track, tenants, await(calls, pending));
  }

  private List<Scrape> await(List<Call> calls, List<CompletableFuture<Scrape>> pending)
      throws MetricsUnavailableException {
    long waitNanos =
        http.callTimeoutMillis() > 0
            ? TimeUnit.MILLISECONDS.toNanos(http.callTimeoutMillis() + 1000L)
            : NO_CALL_TIMEOUT_WAIT.toNanos();
    long deadline = System.nanoTime() + waitNanos;
    List<Scrape> scrapes = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      String instance = calls.get(i).request().url().toString();
      try {
        scrapes.add(
            pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        calls.get(i).cancel();
        scrapes.add(Scrape.failed(instance, "timed out"));
      } catch (ExecutionException e) {
        scrapes.add(Scrape.failed(instance, Problems.of(e.getCause())));
      } catch (InterruptedException e) {
        calls.forEach(Call::cancel);
        Thread.currentThread().interrupt();
        throw new MetricsUnavailableException("interrupted while reading rater metrics");
      }
    }
    return scrapes;
  }

  private static HttpUrl url(String text) {
    HttpUrl url = text == null ? null : HttpUrl.parse(text);
    if (url == null
        || !url.username().isEmpty()
        || !url.password().isEmpty()
        || url.query() != null
        || url.fragment() != null) {
      throw new IllegalArgumentException(
          "a rater metrics endpoint is not an http(s) URL without credentials, query or fragment");
    }
    return url;
  }

  /** Reads the body on okhttp's thread, which may block on it. */
  private final class ScrapeCallback implements Callback {
    private final String instance;
    private final CompletableFuture<Scrape> scrape;

    ScrapeCallback(String instance, CompletableFuture<Scrape> scrape) {
      this.instance = instance;
      this.scrape = scrape;
    }

    @Override
    public void onFailure(Call call, IOException e) {
      scrape.complete(Scrape.failed(instance, Problems.of(e)));
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        ResponseBody body = response.body();
        if (!response.isSuccessful() || body == null) {
          scrape.complete(Scrape.failed(instance, Problems.ofStatus(response.code())));
          return;
        }
        scrape.complete(
            Scrape.read(instance, parser.parse(body.byteStream(), body.contentLength())));
      } catch (IOException | RuntimeException e) {
        scrape.complete(Scrape.failed(instance, Problems.of(e)));
      }
    }
  }
}
