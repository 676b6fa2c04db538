package dev.clawrate.operator.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.api.KubeNames;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

  /** 16 MiB: a query answer holds a line per pod and bucket, far below this. */
  public static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

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
    Endpoint endpoint = regions.get(region);
    if (endpoint == null) {
      throw new MetricsUnavailableException("no Prometheus is configured for region " + region);
    }
    if (tenants.isEmpty()) {
      return Map.of();
    }
    String time = time(clock.instant());
    Map<String, List<MetricSample>> byPod = new LinkedHashMap<>();
    int withoutPod = 0;
    for (RaterQueries.Query query : RaterQueries.of(endpoint.namespace(), track, tenants)) {
      for (JsonNode series : query(region, endpoint, query.promql(), time)) {
        String pod = series.path("metric").path(RaterQueries.POD).asText("");
        MetricSample sample = sample(query.metric(), series);
        if (KubeNames.whyNotDnsSubdomain(pod) != null) {
          withoutPod++;
        } else if (sample != null) {
          byPod.computeIfAbsent(pod, p -> new ArrayList<>()).add(sample);
        }
      }
    }
    if (withoutPod > 0) {
      LOG.atDebug()
          .addKeyValue("region", region)
          .addKeyValue("track", track)
          .addKeyValue("series", withoutPod)
          .log("Prometheus series without a usable pod label are left out");
    }
    Map<String, RaterSample> samples = new LinkedHashMap<>();
    byPod.forEach((pod, podSamples) -> samples.put(pod, RaterSamples.summarize(podSamples)));
    return samples;
  }

  /** The result vector of one instant query. */
  private Iterable<JsonNode> query(String region, Endpoint endpoint, String promql, String time)
      throws MetricsUnavailableException {
    Request.Builder request =
        new Request.Builder()
            .url(endpoint.queryUrl())
            .header("Accept", "application/json")
            .post(new FormBody.Builder().add("query", promql).add("time", time).build());
    if (endpoint.bearerToken() != null) {
      request.header("Authorization", "Bearer " + endpoint.bearerToken());
    }
    JsonNode answer;
    int code;
    try (Response response = http.newCall(request.build()).execute()) {
      code = response.code();
      ResponseBody body = response.body();
      byte[] bytes =
          body == null
              ? new byte[0]
              : BoundedBody.read(body.byteStream(), body.contentLength(), maxAnswerBytes);
      answer = parse(bytes);
    } catch (IOException e) {
      throw unavailable(region, Problems.of(e));
    }
    if (code < 200 || code > 299) {
      String errorType = answer == null ? "" : answer.path("errorType").asText("");
      throw unavailable(
          region,
          Problems.ofStatus(code)
              + (ERROR_TYPE.matcher(errorType).matches() ? " (" + errorType + ")" : ""));
    }
    if (answer == null || !"success".equals(answer.path("status").asText())) {
      throw unavailable(region, "the answer is not a successful query result");
    }
    JsonNode data = answer.path("data");
    JsonNode result = data.path("result");
    if (!"vector".equals(data.path("resultType").asText()) || !result.isArray()) {
      throw unavailable(region, "the answer is not an instant vector");
    }
    return result;
  }

  /** The series as a rater sample of {@code metric}, or null when its value is unreadable. */
  private static MetricSample sample(String metric, JsonNode series) {
    JsonNode value = series.path("value");
    if (!value.isArray() || value.size() != 2 || !value.get(1).isTextual()) {
      return null;
    }
    double number;
    try {
      number = PrometheusText.parseValue(value.get(1).asText());
    } catch (NumberFormatException e) {
      return null;
    }
    Map<String, String> labels = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = series.path("metric").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> label = fields.next();
      if (label.getValue().isTextual() && !label.getKey().equals(RaterQueries.POD)) {
        labels.put(label.getKey(), label.getValue().asText());
      }
    }
    return new MetricSample(metric, labels, number);
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return bytes.length == 0 ? null : MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
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
