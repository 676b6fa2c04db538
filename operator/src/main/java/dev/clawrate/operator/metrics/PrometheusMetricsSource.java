package dev.clawrate.operator.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.api.KubeNames;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the raters' metrics from a Prometheus server per region, through its HTTP API: PromQL
 * instant queries (see {@link RaterQueries}) that return each pod's cumulative series, all
 * evaluated at the same instant so the figures of one read agree with each other.
 *
 * <p>A pod is known only through its series: one that reported nothing for the tenants is absent
 * from the read, which {@link RaterSamples#increase} takes as nothing to add.
 */
public final class PrometheusMetricsSource implements MetricsSource {

  /**
   * 256 MiB: an answer summed over tenants holds a series per pod and bucket, far below this; one
   * for every tenant holds a series per pod, tenant and bucket, some 3 MB per pod and thousand
   * tenants for the 28 rating buckets. Answers are read as they stream in, so this bounds the work
   * of a query, not its memory.
   */
  public static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;

  /**
   * The most pods one read keeps figures of: far more raters than a region runs, and a bound on
   * what an answer may make this operator hold.
   */
  static final int MAX_PODS = 2_000;

  /** What of an error answer is read for its {@code errorType}. */
  private static final int MAX_ERROR_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetricsSource.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ERROR_TYPE = Pattern.compile("[a-z_]{1,32}");

  private final OkHttpClient http;
  private final Map<String, Endpoint> regions;
  private final Clock clock;
  private final int maxAnswerBytes;

  private record Endpoint(HttpUrl queryUrl, String bearerToken, String namespace) {}

  /**
   * @param regions region name to its Prometheus
   * @param maxAnswerBytes the largest answer read
   * @throws IllegalArgumentException when a base URL is not an http(s) URL without credentials, or
   *     a namespace is not a namespace name
   */
  public PrometheusMetricsSource(
      OkHttpClient http, Map<String, PrometheusEndpoint> regions, Clock clock, int maxAnswerBytes) {
    if (maxAnswerBytes < 1 || maxAnswerBytes > MAX_ANSWER_BYTES) {
      throw new IllegalArgumentException(
          "maxAnswerBytes must be between 1 and " + MAX_ANSWER_BYTES);
    }
    this.http = http;
    this.clock = clock;
    this.maxAnswerBytes = maxAnswerBytes;
    Map<String, Endpoint> endpoints = new HashMap<>();
    regions.forEach((region, endpoint) -> endpoints.put(region, endpoint(endpoint)));
    this.regions = Map.copyOf(endpoints);
  }

  public PrometheusMetricsSource(Map<String, PrometheusEndpoint> regions) {
    this(defaultHttpClient(), regions, Clock.systemUTC(), MAX_ANSWER_BYTES);
  }

  /** Timeouts for a query of a busy Prometheus, short enough for an analysis to go on. */
  public static OkHttpClient defaultHttpClient() {
    return new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofSeconds(15))
        // The bearer token must not follow a redirect anywhere.
        .followRedirects(false)
        .build();
  }

  @Override
  public Map<String, RaterSample> read(String region, String track, Set<String> tenants)
      throws MetricsUnavailableException {
    ReadArguments.check(region, track, tenants);
    Endpoint endpoint = endpoint(region);
    if (tenants.isEmpty()) {
      return Map.of();
    }
    return query(
        region,
        endpoint,
        RaterQueries.of(endpoint.namespace(), track, tenants),
        RaterSamples::everything);
  }

  /** Series of every track, grouped by pod and tenant, with no tenant named in the queries. */
  @Override
  public Map<String, Map<String, RaterSample>> readTenants(String region)
      throws MetricsUnavailableException {
    ReadArguments.checkRegion(region);
    Endpoint endpoint = endpoint(region);
    return query(
        region, endpoint, RaterQueries.perTenant(endpoint.namespace()), RaterSamples::perTenant);
  }

  private Endpoint endpoint(String region) throws MetricsUnavailableException {
    Endpoint endpoint = regions.get(region);
    if (endpoint == null) {
      throw new MetricsUnavailableException("no Prometheus is configured for region " + region);
    }
    return endpoint;
  }

  /** Asks every query at one instant and sums each pod's series into a summary of its own. */
  private <T> Map<String, T> query(
      String region,
      Endpoint endpoint,
      List<RaterQueries.Query> queries,
      Supplier<InstanceSummary<T>> summaries)
      throws MetricsUnavailableException {
    String time = time(clock.instant());
    Map<String, InstanceSummary<T>> byPod = new LinkedHashMap<>();
    int[] withoutPod = {0};
    for (RaterQueries.Query query : queries) {
      query(
          region,
          endpoint,
          query,
          time,
          (pod, sample) -> {
            InstanceSummary<T> summary = byPod.get(pod);
            if (summary == null) {
              if (KubeNames.whyNotDnsSubdomain(pod) != null) {
                withoutPod[0]++;
                return;
              }
              if (byPod.size() == MAX_PODS) {
                throw ReadLimitException.pods(MAX_PODS);
              }
              summary = summaries.get();
              byPod.put(pod, summary);
            }
            summary.accept(sample);
          });
    }
    if (withoutPod[0] > 0) {
      LOG.atDebug()
          .addKeyValue("region", region)
          .addKeyValue("series", withoutPod[0])
          .log("Prometheus series without a usable pod label are left out");
    }
    Map<String, T> samples = new LinkedHashMap<>();
    byPod.forEach((pod, summary) -> samples.put(pod, summary.result()));
    return samples;
  }

  /** Hands on each series of one instant query's result vector. */
  private void query(
      String region,
      Endpoint endpoint,
      RaterQueries.Query query,
      String time,
      QueryAnswer.SeriesSink sink)
      throws MetricsUnavailableException {
    Request.Builder request =
        new Request.Builder()
            .url(endpoint.queryUrl())
            .header("Accept", "application/json")
            .post(new FormBody.Builder().add("query", query.promql()).add("time", time).build());
    if (endpoint.bearerToken() != null) {
      request.header("Authorization", "Bearer " + endpoint.bearerToken());
    }
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody body = response.body();
      if (!response.isSuccessful()) {
        throw unavailable(region, Problems.ofStatus(response.code()) + errorType(body));
      }
      if (body == null) {
        throw unavailable(region, "the answer is not a successful query result");
      }
      QueryAnswer.read(
          BoundedBody.limited(body.byteStream(), body.contentLength(), maxAnswerBytes),
          query.metric(),
          RaterQueries.POD,
          sink);
    } catch (IOException e) {
      throw unavailable(region, Problems.of(e));
    } catch (QueryAnswer.NotAVectorException | ReadLimitException e) {
      throw unavailable(region, e.getMessage());
    }
  }

  /** " (bad_data)" when an error answer names a type of the API's, else "". */
  private static String errorType(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    JsonNode answer;
    try {
      answer = MAPPER.readTree(body.byteStream().readNBytes(MAX_ERROR_BYTES));
    } catch (JsonProcessingException e) {
      return "";
    }
    String type = answer == null ? "" : answer.path("errorType").asText("");
    return ERROR_TYPE.matcher(type).matches() ? " (" + type + ")" : "";
  }

  private static MetricsUnavailableException unavailable(String region, String problem) {
    return new MetricsUnavailableException(
        "querying the Prometheus of region " + region + " failed: " + problem);
  }

  /** Seconds since the epoch with milliseconds, as the API takes {@code time}. */
  static String time(Instant instant) {
    return String.format(
        Locale.ROOT, "%d.%03d", instant.getEpochSecond(), instant.getNano() / 1_000_000);
  }

  private static Endpoint endpoint(PrometheusEndpoint endpoint) {
    HttpUrl base = endpoint.baseUrl() == null ? null : HttpUrl.parse(endpoint.baseUrl());
    if (base == null
        || !base.username().isEmpty()
        || !base.password().isEmpty()
        || base.query() != null
        || base.fragment() != null) {
      throw new IllegalArgumentException(
          "a Prometheus base URL is not an http(s) URL without credentials, query or fragment");
    }
    String why = KubeNames.whyNotDnsLabel(endpoint.namespace());
    if (why != null) {
      throw new IllegalArgumentException("a Prometheus endpoint's namespace " + why);
    }
    // okhttp replaces a trailing empty segment, so a base with or without a final slash works.
    return new Endpoint(
        base.newBuilder().addPathSegments("api/v1/query").build(),
        endpoint.bearerToken(),
        endpoint.namespace());
  }
}
