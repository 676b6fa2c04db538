package dev.clawrate.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawrate.operator.served.RegionHealth;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  @Test
  void regionsAreServedAsJsonForALoadBalancer() throws Exception {
    List<RegionHealth> regions =
        List.of(
            new RegionHealth("local", RegionHealth.HEALTHY, 7, 2, 2, 0, null),
            new RegionHealth(
                "eu-west", RegionHealth.UNREACHABLE, 5, 1, 1, 0, "does not answer: HTTP 503"));
    try (HealthServer server =
        new HealthServer(
            0,
            () -> true,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> regions,
            () -> true)) {
      server.start();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/v1/regions"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
      JsonNode body = new ObjectMapper().readTree(response.body());
      assertTrue(body.get("leader").asBoolean(), "a standby says so: ask the leader");
      JsonNode local = body.get("regions").get(0);
      assertEquals("local", local.get("name").asText());
      assertEquals("Healthy", local.get("state").asText());
      assertEquals(7, local.get("revision").asLong());
      assertEquals(2, local.get("ratersCurrent").asInt());
      assertFalse(local.has("reason"));
      JsonNode eu = body.get("regions").get(1);
      assertEquals("Unreachable", eu.get("state").asText());
      assertEquals("does not answer: HTTP 503", eu.get("reason").asText());
    }
  }
}
