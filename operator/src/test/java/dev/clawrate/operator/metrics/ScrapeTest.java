package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeTest {

  @Test
  void anInstanceIsReadIntoItsSummaryAsItStreamsIn() {
    byte[] body =
        new RaterExposition()
            .request("bank-a", "canary", "ok", 1)
            .text()
            .concat("clawrate_broken{\n")
            .getBytes(StandardCharsets.UTF_8);

    Scrape<Map<String, RaterSample>> scrape =
        Scrape.parse(
            "rater-a",
            "canary",
            new ByteArrayInputStream(body),
            body.length,
            PrometheusText.forRaters(),
            RaterSamples.perTenant());

    assertNull(scrape.problem());
    assertEquals(1, scrape.result().get("bank-a").requests());
    assertEquals(1, scrape.skipped().count());
  }

  @Test
  void anInstanceOverALimitIsNotReadAtAllAndSaysWhy() {
    InstanceSummary<Map<String, RaterSample>> overflowing =
        new InstanceSummary<>() {
          @Override
          public void accept(Sample sample) {
            throw ReadLimitException.tenants(RaterSamples.MAX_TENANTS);
          }

          @Override
          public Map<String, RaterSample> result() {
            return Map.of();
          }
        };
    byte[] body =
        new RaterExposition()
            .request("bank-a", "stable", "ok", 1)
            .text()
            .getBytes(StandardCharsets.UTF_8);

    Scrape<Map<String, RaterSample>> scrape =
        Scrape.parse(
            "rater-a",
            "stable",
            new ByteArrayInputStream(body),
            -1,
            PrometheusText.forRaters(),
            overflowing);

    assertNull(scrape.result());
    assertEquals("more than 100000 tenants in one instance's figures", scrape.problem());
  }
}
