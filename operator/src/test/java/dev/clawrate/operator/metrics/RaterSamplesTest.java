package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RaterSamplesTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  private static List<MetricSample> parse(RaterExposition rater) throws Exception {
    return PrometheusText.forRaters().parse(rater.text()).samples();
  }

  @Test
  void sumsTheChosenTenantsOfTheChosenTrack() throws Exception {
    RaterExposition rater =
        new RaterExposition()
            .request("bank-a", "canary", "ok", 2)
            .request("bank-a", "canary", "ok", 2)
            .request("bank-a", "canary", "model_trap", 40)
            .request("bank-a", "canary", "fallback", 40)
            .request("bank-a", "canary", "bad_request", 1)
            .request("bank-b.eu", "canary", "internal_error", 1)
            .request("bank-b.eu", "canary", "model_timeout", 1)
            .request("bank-b.eu", "canary", "a_future_outcome", 1)
            .request("bank-c", "canary", "ok", 1)
            .request("bank-a", "stable", "ok", 1)
            .request("_unknown", "canary", "unknown_tenant", 1)
            .rating("bank-a", "canary", 700, "approve")
            .rating("bank-b.eu", "canary", 420, "decline")
            .rating("bank-c", "canary", 800, "approve")
            .rating("bank-a", "stable", 100, "decline");

    RaterSample sample = RaterSamples.from(parse(rater), "canary", Set.of("bank-a", "bank-b.eu"));

    assertEquals(8, sample.requests());
    assertEquals(3, sample.serverErrors(), "model_trap, internal_error, model_timeout");
    assertEquals(1, sample.fallbacks());
    assertEquals(8, sample.latencySeconds().count());
    assertEquals(4, sample.latencySeconds().cumulativeAt(0.001), "the four 1 ms requests");
    assertEquals(6, sample.latencySeconds().cumulativeAt(0.0025), "and the two 2 ms ones");
    assertEquals(2, sample.ratings().count());
    assertEquals(1, sample.ratings().cumulativeAt(450.0));
    assertEquals(Map.of("approve", 1.0, "decline", 1.0), sample.decisions());
    assertEquals(ShadowFigures.NONE, sample.shadow());
  }

  @Test
  void perTenantSumsEachTenantOverTracksAndLeavesOutShadowsAndWhatIsNoTenant() throws Exception {
    RaterExposition rater =
        new RaterExposition()
            .live("stable", 3)
            .request("bank-a", "stable", "ok", 2)
            .request("bank-a", "canary", "model_trap", 40)
            .request("bank-a", "stable", "fallback", 3)
            .request("bank-b.eu", "stable", "ok", 1)
            .request("_unknown", "stable", "unknown_tenant", 1)
            .request("Not A Tenant", "stable", "ok", 1)
            .rating("bank-a", "stable", 700, "approve")
            .rating("bank-a", "canary", 420, "decline")
            .rating("bank-b.eu", "stable", 800, "approve")
            .shadow("bank-a", "agree", 700, 710.0)
            .shadow("bank-c", "flip", 600, 700.0);
    InstanceSummary<Map<String, RaterSample>> summary = RaterSamples.perTenant();
    parse(rater).forEach(summary);

    Map<String, RaterSample> tenants = summary.result();

    assertEquals(Set.of("bank-a", "bank-b.eu"), tenants.keySet(), "bank-c has only a shadow");
    RaterSample a = tenants.get("bank-a");
    assertEquals(3, a.requests(), "both tracks");
    assertEquals(1, a.serverErrors());
    assertEquals(1, a.fallbacks());
    assertEquals(3, a.latencySeconds().count());
    assertEquals(1, a.latencySeconds().cumulativeAt(0.0025), "the 2 ms request");
    assertEquals(2, a.ratings().count());
    assertEquals(1, a.ratings().cumulativeAt(450.0));
    assertEquals(Map.of("approve", 1.0, "decline", 1.0), a.decisions());
    assertSame(ShadowFigures.NONE, a.shadow());
    RaterSample b = tenants.get("bank-b.eu");
    assertEquals(1, b.requests());
    assertEquals(Map.of("approve", 1.0), b.decisions());
    assertEquals(
        RaterSamples.from(parse(rater), "stable", Set.of("bank-b.eu")),
        b,
        "one tenant on one track: what the canary's read says of it");
  }

  @Test
  void perTenantRefusesAnInstanceOfMoreTenantsThanAReadHolds() {
    InstanceSummary<Map<String, RaterSample>> summary = RaterSamples.perTenant();
    for (int i = 0; i < RaterSamples.MAX_TENANTS; i++) {
      summary.accept(request("t-" + i));
    }
    summary.accept(request("t-0"));

    ReadLimitException e =
        assertThrows(ReadLimitException.class, () -> summary.accept(request("one-more")));
    assertEquals("more than 100000 tenants in one instance's figures", e.getMessage());
  }

  @Test
  void aHistogramOfEndlessBoundsKeepsTheFirstOnes() {
    List<MetricSample> samples = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      samples.add(
          new MetricSample(
              RaterSeries.REQUESTS_BUCKET,
              Map.of("tenant", "t", "track", "stable", "le", Integer.toString(i)),
              i));
    }

    Histogram latency = RaterSamples.from(samples, "stable", Set.of("t")).latencySeconds();

    assertEquals(256, latency.cumulative().size());
    assertEquals(255.0, latency.cumulative().lastKey());
  }

  private static MetricSample request(String tenant) {
    return new MetricSample(
        RaterSeries.REQUESTS_COUNT,
        Map.of("tenant", tenant, "track", "stable", "outcome", "ok"),
        1);
  }

  @Test
  void readsTheShadowFiguresWhateverTheTrack() throws Exception {
    RaterExposition rater =
        new RaterExposition()
            .shadow("bank-a", "agree", 700, 710.0)
            .shadow("bank-a", "agree", 600, 580.0)
            .shadow("bank-a", "flip", 640, 660.0)
            .shadow("bank-a", "candidate_error", 640, null)
            .shadow("bank-a", "a_future_result", 640, 640.0)
            .shadow("bank-c", "flip", 100, 900.0)
            .skipped("bank-a", "sampled_out")
            .skipped("bank-a", "queue_full");

    ShadowFigures shadow = RaterSamples.from(parse(rater), "stable", Set.of("bank-a")).shadow();

    assertEquals(2, shadow.agree());
    assertEquals(1, shadow.flip());
    assertEquals(1, shadow.candidateError());
    assertEquals(4, shadow.samples());
    assertEquals(2, shadow.skipped());
    assertEquals(10 + 20 + 20 + 0, shadow.deltaSum(), 1e-9);
    assertEquals(4, shadow.deltaCount());
    assertEquals(5, shadow.liveRatings().count());
    assertEquals(4, shadow.candidateRatings().count());
    assertEquals(1, shadow.candidateRatings().cumulativeAt(600.0));
  }

  @Test
  void leavesOutWhatNoCounterHolds() {
    List<MetricSample> samples =
        List.of(
            requests("ok", 5),
            requests("ok", -1),
            requests("ok", Double.NaN),
            requests("ok", INF),
            bucket("0.5", 3),
            bucket("not-a-bound", 9),
            bucket("NaN", 9),
            new MetricSample(
                RaterSeries.DECISIONS,
                Map.of("tenant", "t", "track", "stable", "decision", "x y"),
                4));

    RaterSample sample = RaterSamples.from(samples, "stable", Set.of("t"));

    assertEquals(5, sample.requests());
    assertEquals(Histogram.of(Map.of(0.5, 3.0)), sample.latencySeconds());
    assertEquals(Map.of(), sample.decisions());
  }

  @Test
  void noTenantsSelectNothing() throws Exception {
    RaterExposition rater = new RaterExposition().request("bank-a", "stable", "ok", 1);

    assertEquals(RaterSample.EMPTY, RaterSamples.from(parse(rater), "stable", Set.of()));
  }

  @Test
  void minusIsTheIncreaseSinceTheEarlierRead() {
    RaterSample earlier = sample(100, 2, 1, 90, 10);
    RaterSample now = sample(150, 5, 1, 130, 12);

    RaterSample increase = now.minus(earlier);

    assertFalse(now.restartedSince(earlier));
    assertEquals(50, increase.requests());
    assertEquals(3, increase.serverErrors());
    assertEquals(0, increase.fallbacks());
    assertEquals(Histogram.of(Map.of(0.1, 40.0, INF, 50.0)), increase.latencySeconds());
    assertEquals(Map.of("approve", 2.0), increase.decisions());
    assertEquals(2, increase.shadow().agree());
  }

  @Test
  void aCounterThatWentDownMeansARestartAndTheIncreaseIsTheCurrentSample() {
    RaterSample earlier = sample(100, 2, 1, 90, 10);
    // Restarted, and has since seen more requests than before, but fewer errors.
    RaterSample now = sample(120, 1, 1, 110, 10);

    assertTrue(now.restartedSince(earlier));
    assertSame(now, now.minus(earlier));
  }

  @Test
  void aDecisionThatVanishedMeansARestart() {
    RaterSample earlier = sample(100, 2, 1, 90, 10);
    RaterSample now =
        new RaterSample(
            100, 2, 1, earlier.latencySeconds(), Histogram.EMPTY, Map.of(), earlier.shadow());

    assertTrue(now.restartedSince(earlier));
  }

  @Test
  void aFallingShadowDeltaSumIsNoRestart() {
    RaterSample earlier = sample(100, 2, 1, 90, 10);
    ShadowFigures lowerSum =
        new ShadowFigures(10, 0, 0, 0, -5, 10, Histogram.EMPTY, Histogram.EMPTY);
    RaterSample now =
        new RaterSample(
            100, 2, 1, earlier.latencySeconds(), Histogram.EMPTY, earlier.decisions(), lowerSum);

    assertFalse(now.restartedSince(earlier));
    assertEquals(-8, now.minus(earlier).shadow().deltaSum());
  }

  @Test
  void increaseComparesInstancesByKey() {
    RaterSample podAEarlier = sample(100, 2, 1, 90, 10);
    RaterSample podANow = sample(130, 2, 1, 120, 10);
    RaterSample podBRestarted = sample(7, 0, 0, 7, 0);
    RaterSample podBEarlier = sample(50, 0, 0, 50, 0);
    RaterSample podCNew = sample(5, 1, 0, 5, 0);
    RaterSample podDGone = sample(500, 0, 0, 500, 0);

    RaterSample increase =
        RaterSamples.increase(
            Map.of("pod-a", podANow, "pod-b", podBRestarted, "pod-c", podCNew),
            Map.of("pod-a", podAEarlier, "pod-b", podBEarlier, "pod-d", podDGone));

    assertEquals(30 + 7 + 5, increase.requests());
    assertEquals(1, increase.serverErrors());
  }

  @Test
  void sumAddsInstances() {
    RaterSample sum = RaterSamples.sum(List.of(sample(10, 1, 0, 10, 1), sample(5, 0, 2, 5, 3)));

    assertEquals(15, sum.requests());
    assertEquals(2, sum.fallbacks());
    assertEquals(Map.of("approve", 4.0), sum.decisions());
    assertEquals(Histogram.of(Map.of(0.1, 15.0, INF, 15.0)), sum.latencySeconds());
    assertEquals(RaterSample.EMPTY, RaterSamples.sum(List.of()));
  }

  @Test
  void refusesFiguresNoCounterHolds() {
    assertThrows(IllegalArgumentException.class, () -> sample(-1, 0, 0, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RaterSample(
                1,
                0,
                0,
                Histogram.EMPTY,
                Histogram.EMPTY,
                Map.of("a", Double.NaN),
                ShadowFigures.NONE));
  }

  private static RaterSample sample(
      double requests, double errors, double fallbacks, double fast, double approvals) {
    return new RaterSample(
        requests,
        errors,
        fallbacks,
        Histogram.of(Map.of(0.1, fast, INF, requests)),
        Histogram.EMPTY,
        Map.of("approve", approvals),
        new ShadowFigures(approvals, 0, 0, 0, 3, approvals, Histogram.EMPTY, Histogram.EMPTY));
  }

  private static MetricSample requests(String outcome, double value) {
    return new MetricSample(
        RaterSeries.REQUESTS_COUNT,
        Map.of("tenant", "t", "track", "stable", "outcome", outcome),
        value);
  }

  private static MetricSample bucket(String le, double value) {
    return new MetricSample(
        RaterSeries.REQUESTS_BUCKET, Map.of("tenant", "t", "track", "stable", "le", le), value);
  }
}
