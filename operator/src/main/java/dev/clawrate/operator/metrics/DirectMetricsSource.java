package dev.clawrate.operator.metrics;

import dev.clawrate.operator.Threads;
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
import java.util.function.Supplier;
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
    // Daemon threads: a scrape's threads outlive it by a minute, and must not hold a JVM open.
    Dispatcher dispatcher = new Dispatcher(Threads.elastic("clawrate-scrape"));
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
    List<HttpUrl> urls = tracksOf(region).getOrDefault(track, List.of());
    return scrape(region, Map.of(track, urls), () -> RaterSamples.ofTrack(track, tenants));
  }

  /** Every instance of every track the region is configured with. */
  @Override
  public Map<String, Map<String, RaterSample>> readTenants(String region)
      throws MetricsUnavailableException {
    ReadArguments.checkRegion(region);
    return scrape(region, tracksOf(region), RaterSamples::perTenant);
  }

  private Map<String, List<HttpUrl>> tracksOf(String region) throws MetricsUnavailableException {
    Map<String, List<HttpUrl>> tracks = endpoints.get(region);
    if (tracks == null) {
      throw new MetricsUnavailableException(
          "no rater metrics endpoints are configured for region " + region);
    }
    return tracks;
  }

  /** Scrapes every URL at once, each into a summary of its own. */
  private <T> Map<String, T> scrape(
      String region, Map<String, List<HttpUrl>> urls, Supplier<InstanceSummary<T>> summaries)
      throws MetricsUnavailableException {
    List<Call> calls = new ArrayList<>();
    List<String> tracks = new ArrayList<>();
    List<CompletableFuture<Scrape<T>>> pending = new ArrayList<>();
    urls.forEach(
        (track, list) -> {
          for (HttpUrl url : list) {
            Call call =
                http.newCall(
                    new Request.Builder()
                        .url(url)
                        .header("Accept", "text/plain;version=0.0.4")
                        .build());
            CompletableFuture<Scrape<T>> scrape = new CompletableFuture<>();
            call.enqueue(new ScrapeCallback<>(url.toString(), track, summaries.get(), scrape));
            calls.add(call);
            tracks.add(track);
            pending.add(scrape);
          }
        });
    return outcomes.toSamples(region, urls.keySet(), await(calls, tracks, pending));
  }

  private <T> List<Scrape<T>> await(
      List<Call> calls, List<String> tracks, List<CompletableFuture<Scrape<T>>> pending)
      throws MetricsUnavailableException {
    long waitNanos =
        http.callTimeoutMillis() > 0
            ? TimeUnit.MILLISECONDS.toNanos(http.callTimeoutMillis() + 1000L)
            : NO_CALL_TIMEOUT_WAIT.toNanos();
    long deadline = System.nanoTime() + waitNanos;
    List<Scrape<T>> scrapes = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      String instance = calls.get(i).request().url().toString();
      try {
        scrapes.add(
            pending.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        calls.get(i).cancel();
        scrapes.add(Scrape.failed(instance, tracks.get(i), "timed out"));
      } catch (ExecutionException e) {
        scrapes.add(Scrape.failed(instance, tracks.get(i), Problems.of(e.getCause())));
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

  /** Parses the body on okhttp's thread as it streams in: the thread may block on it. */
  private final class ScrapeCallback<T> implements Callback {
    private final String instance;
    private final String track;
    private final InstanceSummary<T> summary;
    private final CompletableFuture<Scrape<T>> scrape;

    ScrapeCallback(
        String instance,
        String track,
        InstanceSummary<T> summary,
        CompletableFuture<Scrape<T>> scrape) {
      this.instance = instance;
      this.track = track;
      this.summary = summary;
      this.scrape = scrape;
    }

    @Override
    public void onFailure(Call call, IOException e) {
      scrape.complete(Scrape.failed(instance, track, Problems.of(e)));
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        ResponseBody body = response.body();
        if (!response.isSuccessful() || body == null) {
          scrape.complete(Scrape.failed(instance, track, Problems.ofStatus(response.code())));
          return;
        }
        scrape.complete(
            Scrape.parse(
                instance, track, body.byteStream(), body.contentLength(), parser, summary));
      } catch (RuntimeException e) {
        scrape.complete(Scrape.failed(instance, track, Problems.of(e)));
      }
    }
  }
}
