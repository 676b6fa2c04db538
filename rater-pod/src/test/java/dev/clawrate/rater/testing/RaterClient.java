package dev.clawrate.rater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** A plain HTTP client for a rater under test. */
public final class RaterClient {

  /** A response with its body decompressed when it came gzipped. */
  public record Answer(int status, String body, HttpResponse<byte[]> raw) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    public String errorCode() {
      return json().path("error").path("code").asText();
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;

  public RaterClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Answer rate(String tenant, String body) {
    return send(rateRequest(tenant).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** POSTs a body to /v1/rate with extra headers, given as name, value, name, value, ... */
  public Answer rate(String tenant, byte[] body, String... headers) {
    HttpRequest.Builder request = rateRequest(tenant);
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public HttpRequest.Builder rateRequest(String tenant) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + "/v1/rate"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (tenant != null) {
      builder.header("X-Tenant-Id", tenant);
    }
    return builder;
  }

  /** GETs a path with extra headers, given as name, value, name, value, ... */
  public Answer get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  public Answer send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      byte[] body = response.body();
      if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
        body = gunzip(body);
      }
      return new Answer(response.statusCode(), new String(body, StandardCharsets.UTF_8), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static byte[] gzip(byte[] bytes) {
    var out = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] gunzip(byte[] bytes) {
    try (var in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
