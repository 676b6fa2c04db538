package dev.clawrate.operator.metrics;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.operator.api.KubeNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raters' {@code /metrics} through the API server's pod proxy, for clusters without
 * Prometheus: it lists the Running and Ready rater pods of the track in the region's rater
 * namespace and GETs {@code /api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy/metrics} of each, with
 * the region client's own HTTP client (so its credentials, TLS and retries). The port is the pod's
 * {@code prometheus.io/port} annotation, 8081 without one (charts/clawrate/templates/raters.yaml).
 *
 * <p>The operator's identity needs {@code get} on {@code pods/proxy} in the rater namespace,
 * besides {@code list} on pods.
 */
public final class PodProxyMetricsSource implements MetricsSource {

  /** Where a region's raters run, and a client of its API server. */
  public record RaterNamespace(KubernetesClient client, String namespace) {}

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String RATER_NAME = "clawrate-rater";
  public static final String TRACK_LABEL = "clawrate.dev/track";
  public static final String PORT_ANNOTATION = "prometheus.io/port";
  public static final int DEFAULT_PORT = 8081;

  /** The tracks a tenant's users may be served by. */
  static final List<String> TRACKS =
      List.of(SnapshotCodec.TRACK_STABLE, SnapshotCodec.TRACK_CANARY);

  /** Per instance: fabric8 may retry a failed request within it, and adds at most as much again. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(PodProxyMetricsSource.class);
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

  private final Function<String, RaterNamespace> regions;
  private final PrometheusText parser;
  private final Duration timeout;
  private final ScrapeOutcomes outcomes = new ScrapeOutcomes("pod-proxy");

  /**
   * @param regions region name to where its raters run, or null for a region it does not know
   */
  public PodProxyMetricsSource(
      Function<String, RaterNamespace> regions, PrometheusText parser, Duration timeout) {
    this.regions = regions;
    this.parser = parser;
    this.timeout = timeout;
  }

  public PodProxyMetricsSource(Function<String, RaterNamespace> regions) {
    this(regions, PrometheusText.forRaters(), DEFAULT_TIMEOUT);
  }

  @Override
  public Map<String, RaterSample> read(String region, String track, Set<String> tenants)
      throws MetricsUnavailableException {
    ReadArguments.check(region, track, tenants);
    return scrape(region, List.of(track), () -> RaterSamples.ofTrack(track, tenants));
  }

  /** The serving pods of both tracks. */
  @Override
  public Map<String, Map<String, RaterSample>> readTenants(String region)
      throws MetricsUnavailableException {
    ReadArguments.checkRegion(region);
    return scrape(region, TRACKS, RaterSamples::perTenant);
  }

  /** Scrapes the serving pods of the tracks at once, each into a summary of its own. */
  private <T> Map<String, T> scrape(
      String region, List<String> tracks, Supplier<InstanceSummary<T>> summaries)
      throws MetricsUnavailableException {
    RaterNamespace target = regions.apply(region);
    if (target == null) {
      throw new MetricsUnavailableException("region " + region + " is not known");
    }
    String why = KubeNames.whyNotDnsLabel(target.namespace());
    if (why != null) {
      throw new MetricsUnavailableException("the rater namespace of region " + region + " " + why);
    }
    String base = stripTrailingSlash(target.client().getMasterUrl().toString());
    HttpClient http = target.client().getHttpClient();
    List<Request<T>> requests = new ArrayList<>();
    List<Scrape<T>> refused = new ArrayList<>();
    for (String track : tracks) {
      for (Pod pod : servingPods(region, target, track)) {
        String name = pod.getMetadata().getName();
        Integer port = port(pod);
        if (port == null) {
          refused.add(
              Scrape.failed(name, track, "its " + PORT_ANNOTATION + " annotation is not a port"));
          continue;
        }
        HttpRequest request =
            http.newHttpRequestBuilder()
                .uri(proxyPath(base, target.namespace(), name, port))
                .header("Accept", "text/plain;version=0.0.4")
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        requests.add(new Request<>(name, track, summaries.get(), send(http, request)));
      }
    }
    List<Scrape<T>> scrapes = new ArrayList<>(refused);
    scrapes.addAll(await(requests));
    return outcomes.toSamples(region, Set.copyOf(tracks), scrapes);
  }

  /** A pod's metrics asked for, and what its answer is to be made into. */
  private record Request<T>(
      String instance,
      String track,
      InstanceSummary<T> summary,
      CompletableFuture<HttpResponse<InputStream>> answer) {}

  /** The path of a pod's metrics through the API server; every part of it is checked before. */
  static String proxyPath(String base, String namespace, String pod, int port) {
    return base
        + "/api/v1/namespaces/"
        + namespace
        + "/pods/"
        + pod
        + ":"
        + port
        + "/proxy/metrics";
  }

  private List<Pod> servingPods(String region, RaterNamespace target, String track)
      throws MetricsUnavailableException {
    List<Pod> listed;
    try {
      listed =
          target
              .client()
              .pods()
              .inNamespace(target.namespace())
              .withLabel(NAME_LABEL, RATER_NAME)
              .withLabel(TRACK_LABEL, track)
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      throw new MetricsUnavailableException(
          "listing the rater pods of region "
              + region
              + " failed"
              + (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : ""));
    }
    List<Pod> serving = new ArrayList<>();
    int badNames = 0;
    for (Pod pod : listed) {
      if (!isRunningAndReady(pod)) {
        continue;
      }
      if (pod.getMetadata() == null
          || KubeNames.whyNotDnsSubdomain(pod.getMetadata().getName()) != null) {
        badNames++;
        continue;
      }
      serving.add(pod);
    }
    if (badNames > 0) {
      LOG.atWarn()
          .addKeyValue("region", region)
          .addKeyValue("track", track)
          .addKeyValue("pods", badNames)
          .log("rater pods whose names cannot be used in a path are left out");
    }
    return serving;
  }

  private static boolean isRunningAndReady(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The annotated port, the default without one, or null when the annotation is no port. */
  private static Integer port(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(PORT_ANNOTATION);
    if (value == null) {
      return DEFAULT_PORT;
    }
    if (!PORT.matcher(value).matches()) {
      return null;
    }
    int port = Integer.parseInt(value);
    return port >= 1 && port <= 65535 ? port : null;
  }

  private static CompletableFuture<HttpResponse<InputStream>> send(
      HttpClient http, HttpRequest request) {
    try {
      return http.sendAsync(request, InputStream.class);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Waits for the answers in turn and reads each body here, off the client's own threads. */
  private <T> List<Scrape<T>> await(List<Request<T>> requests) throws MetricsUnavailableException {
    // fabric8 lets a request with retries run up to twice its timeout.
    long deadline = System.nanoTime() + timeout.multipliedBy(2).plusSeconds(1).toNanos();
    List<Scrape<T>> scrapes = new ArrayList<>();
    for (Request<T> request : requests) {
      HttpResponse<InputStream> response;
      try {
        response =
            request.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        request.answer().cancel(true);
        scrapes.add(Scrape.failed(request.instance(), request.track(), "timed out"));
        continue;
      } catch (ExecutionException e) {
        scrapes.add(Scrape.failed(request.instance(), request.track(), Problems.of(e.getCause())));
        continue;
      } catch (InterruptedException e) {
        requests.forEach(r -> r.answer().cancel(true));
        Thread.currentThread().interrupt();
        throw new MetricsUnavailableException("interrupted while reading rater metrics");
      }
      scrapes.add(read(request, response));
    }
    return scrapes;
  }

  private <T> Scrape<T> read(Request<T> request, HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      if (!response.isSuccessful() || body == null) {
        return Scrape.failed(
            request.instance(), request.track(), Problems.ofStatus(response.code()));
      }
      return Scrape.parse(
          request.instance(),
          request.track(),
          body,
          contentLength(response),
          parser,
          request.summary());
    } catch (IOException | RuntimeException e) {
      return Scrape.failed(request.instance(), request.track(), Problems.of(e));
    }
  }

  private static long contentLength(HttpResponse<?> response) {
    String value = response.header("Content-Length");
    return value != null && LENGTH.matcher(value).matches() ? Long.parseLong(value) : -1;
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
