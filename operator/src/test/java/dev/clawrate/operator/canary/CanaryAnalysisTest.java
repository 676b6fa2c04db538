package dev.clawrate.operator.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.metrics.Histogram;
import dev.clawrate.operator.metrics.RaterSample;
import dev.clawrate.operator.metrics.ShadowFigures;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryAnalysisTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  private static final AnalysisLimits LIMITS =
      new AnalysisLimits(100, 0.01, 200.0, 800.0, 0.02, 0.25, 200);

  /** 420 ratings over 500..700+. */
  private static final Histogram SCORES = scores(1);

  /** The same ratings one bucket higher: a significant shift. */
  private static final Histogram SHIFTED =
      Histogram.of(
          Map.of(
              500.0, 0.0, 550.0, 20.0, 600.0, 80.0, 650.0, 200.0, 700.0, 330.0, 750.0, 400.0, INF,
              420.0));

  // --- shadow phase

  @Test
  void shadowHoldsBelowTheSamplesItNeedsAndStillReportsFigures() {
    Analysis analysis = CanaryAnalysis.judgeShadow(shadow(149, 40, 10, SCORES, SCORES), LIMITS);

    assertEquals(Verdict.HOLD, analysis.verdict());
    assertEquals(List.of("199 shadow samples < 200 needed"), analysis.reasons());
    assertEquals(199, analysis.figures().shadowSamples());
    assertEquals(40.0 / 199, analysis.figures().flipRate(), 1e-12);
    assertEquals(10.0 / 199, analysis.figures().errorRate(), 1e-12);
  }

  @Test
  void shadowNeverPassesOnNoSamples() {
    AnalysisLimits noMinimum = new AnalysisLimits(0, 0.01, null, null, 0.02, 0.25, 0);

    Analysis analysis = CanaryAnalysis.judgeShadow(RaterSample.EMPTY, noMinimum);

    assertEquals(Verdict.HOLD, analysis.verdict());
    assertEquals(List.of("0 shadow samples < 1 needed"), analysis.reasons());
    assertNull(analysis.figures().flipRate());
    assertNull(analysis.figures().errorRate());
    assertNull(analysis.figures().populationStability());
  }

  @Test
  void shadowFailsOnTooManyFlips() {
    Analysis analysis = CanaryAnalysis.judgeShadow(shadow(970, 30, 0, SCORES, SCORES), LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(List.of("flip rate 3.00% > 2.00%"), analysis.reasons());
  }

  @Test
  void shadowFailsOnCandidateErrors() {
    Analysis analysis = CanaryAnalysis.judgeShadow(shadow(980, 0, 20, SCORES, SCORES), LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(List.of("candidate error rate 2.00% > 1.00%"), analysis.reasons());
  }

  @Test
  void shadowFailsWhenTheCandidatesRatingsShifted() {
    Analysis analysis =
        CanaryAnalysis.judgeShadow(
            shadow(1000, 0, 0, scores(3), SHIFTED.plus(SHIFTED).plus(SHIFTED)), LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(1, analysis.reasons().size());
    assertEquals(
        String.format(
            Locale.ROOT,
            "population stability %.3f > 0.250 (candidate vs live ratings)",
            analysis.figures().populationStability()),
        analysis.reasons().get(0));
  }

  @Test
  void shadowComparesRatingsOnlyWithEnoughOfThem() {
    Histogram few = Histogram.of(Map.of(500.0, 0.0, 700.0, 150.0, INF, 150.0));

    Analysis analysis = CanaryAnalysis.judgeShadow(shadow(1000, 0, 0, SCORES, few), LIMITS);

    assertEquals(Verdict.PASS, analysis.verdict());
    assertNull(analysis.figures().populationStability());
  }

  @Test
  void shadowPassesWithinEveryLimit() {
    Analysis analysis = CanaryAnalysis.judgeShadow(shadow(990, 10, 5, SCORES, SCORES), LIMITS);

    assertEquals(Verdict.PASS, analysis.verdict());
    assertEquals(List.of(), analysis.reasons());
    Figures figures = analysis.figures();
    assertEquals(1005, figures.shadowSamples());
    assertEquals(2000, figures.requests());
    assertEquals(10.0 / 1005, figures.flipRate(), 1e-12);
    assertEquals(5.0 / 1005, figures.errorRate(), 1e-12);
    assertEquals(0, figures.populationStability(), 1e-12);
    assertNull(figures.p95Millis());
    assertNull(figures.p99Millis());
  }

  @Test
  void shadowListsEveryFailure() {
    Analysis analysis = CanaryAnalysis.judgeShadow(shadow(900, 50, 50, SCORES, SHIFTED), LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(3, analysis.reasons().size(), analysis.reasons().toString());
  }

  // --- traffic phase

  @Test
  void trafficHoldsBelowTheRequestsItNeeds() {
    Analysis analysis =
        CanaryAnalysis.judgeTraffic(
            traffic(99, 50, 0, latency(99, 0), SCORES),
            traffic(5000, 0, 0, latency(5000, 0), SCORES),
            null,
            LIMITS);

    assertEquals(Verdict.HOLD, analysis.verdict());
    assertEquals(List.of("99 canary requests < 100 needed"), analysis.reasons());
    assertEquals(50.0 / 99, analysis.figures().errorRate(), 1e-12);
  }

  @Test
  void trafficFailsOnErrorsAndFallbacksTogether() {
    RaterSample canary = traffic(400, 30, 20, latency(400, 0), SCORES);

    Analysis analysis = CanaryAnalysis.judgeTraffic(canary, stable(), null, LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(List.of("error rate 12.50% > 1.00%"), analysis.reasons());
    assertEquals(0.125, analysis.figures().errorRate(), 1e-12);
  }

  @Test
  void trafficFailsOnSlowP95() {
    // 10% of requests in (250, 500] ms: p95 = 250 + 250 * 0.5 = 375 ms.
    RaterSample canary = traffic(1000, 0, 0, latency(900, 100), SCORES);

    Analysis analysis = CanaryAnalysis.judgeTraffic(canary, stable(), null, LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(List.of("p95 latency 375.0 ms > 200.0 ms"), analysis.reasons());
    assertEquals(375.0, analysis.figures().p95Millis(), 1e-9);
    assertEquals(475.0, analysis.figures().p99Millis(), 1e-9);
  }

  @Test
  void trafficFailsOnSlowP99Only() {
    // 2% slow: p95 under 10 ms, p99 = 250 + 250 * 10 / 20 = 375 ms.
    AnalysisLimits p99Only = new AnalysisLimits(100, 0.01, null, 300.0, 0.02, 0.25, 200);
    RaterSample canary = traffic(1000, 0, 0, latency(980, 20), SCORES);

    Analysis analysis = CanaryAnalysis.judgeTraffic(canary, stable(), null, p99Only);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(List.of("p99 latency 375.0 ms > 300.0 ms"), analysis.reasons());
  }

  @Test
  void latencyIsNotCheckedWithoutALimit() {
    AnalysisLimits noLatency = new AnalysisLimits(100, 0.01, null, null, 0.02, 0.25, 200);
    RaterSample canary = traffic(1000, 0, 0, latency(0, 1000), SCORES);

    Analysis analysis = CanaryAnalysis.judgeTraffic(canary, stable(), null, noLatency);

    assertEquals(Verdict.PASS, analysis.verdict());
    assertEquals(250 + 250 * 0.99, analysis.figures().p99Millis(), 1e-9);
  }

  @Test
  void trafficFailsWhenTheCanarysRatingsShifted() {
    RaterSample canary = traffic(1000, 0, 0, latency(1000, 0), SHIFTED);

    Analysis analysis = CanaryAnalysis.judgeTraffic(canary, stable(), null, LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(1, analysis.reasons().size());
    assertTrue(
        analysis.reasons().get(0).endsWith("> 0.250 (canary vs stable ratings)"),
        analysis.reasons().get(0));
  }

  @Test
  void trafficComparesRatingsOnlyWhenBothSidesHaveEnough() {
    RaterSample canary = traffic(1000, 0, 0, latency(1000, 0), SHIFTED);
    Histogram fewStable = Histogram.of(Map.of(600.0, 50.0, INF, 99.0));
    RaterSample stable = traffic(5000, 0, 0, latency(5000, 0), fewStable);

    Analysis analysis = CanaryAnalysis.judgeTraffic(canary, stable, null, LIMITS);

    assertEquals(Verdict.PASS, analysis.verdict());
    assertNull(analysis.figures().populationStability());
  }

  @Test
  void trafficFailsOnShadowFlips() {
    RaterSample canary = traffic(1000, 0, 0, latency(1000, 0), SCORES);

    Analysis analysis =
        CanaryAnalysis.judgeTraffic(canary, stable(), shadow(90, 10, 0, SCORES, SCORES), LIMITS);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(List.of("shadow flip rate 10.00% > 2.00%"), analysis.reasons());
    assertEquals(100, analysis.figures().shadowSamples());
  }

  @Test
  void trafficPassesWithinEveryLimit() {
    RaterSample canary = traffic(1000, 5, 4, latency(1000, 0), SCORES);

    Analysis analysis =
        CanaryAnalysis.judgeTraffic(canary, stable(), shadow(999, 1, 0, SCORES, SCORES), LIMITS);

    assertEquals(Verdict.PASS, analysis.verdict());
    assertEquals(List.of(), analysis.reasons());
    Figures figures = analysis.figures();
    assertEquals(1000, figures.requests());
    assertEquals(0.009, figures.errorRate(), 1e-12);
    assertEquals(9.5, figures.p95Millis(), 1e-9);
    assertEquals(9.9, figures.p99Millis(), 1e-9);
    assertEquals(0.001, figures.flipRate(), 1e-12);
    assertEquals(0, figures.populationStability(), 1e-12);
    assertEquals(1000, figures.shadowSamples());
  }

  @Test
  void trafficListsEveryFailure() {
    AnalysisLimits tight = new AnalysisLimits(100, 0.01, 200.0, 400.0, 0.02, 0.25, 200);
    RaterSample canary = traffic(1000, 100, 0, latency(0, 1000), SHIFTED);

    Analysis analysis =
        CanaryAnalysis.judgeTraffic(canary, stable(), shadow(50, 50, 0, SCORES, SCORES), tight);

    assertEquals(Verdict.FAIL, analysis.verdict());
    assertEquals(5, analysis.reasons().size(), analysis.reasons().toString());
  }

  // --- regions

  @Test
  void aFailingRegionFailsTheCanaryWhateverTheSum() {
    Analysis together = pass();
    Analysis eu = fail("error rate 5.00% > 1.00%");

    Analysis combined =
        CanaryAnalysis.combine(
            together, Map.of("eu-west", eu, "us-east", hold("3 canary requests < 100 needed")));

    assertEquals(Verdict.FAIL, combined.verdict());
    assertEquals(List.of("region eu-west: error rate 5.00% > 1.00%"), combined.reasons());
    assertEquals(together.figures(), combined.figures());
  }

  @Test
  void aFailingSumFailsTheCanary() {
    Analysis combined =
        CanaryAnalysis.combine(fail("flip rate 3.00% > 2.00%"), Map.of("eu-west", pass()));

    assertEquals(Verdict.FAIL, combined.verdict());
    assertEquals(List.of("flip rate 3.00% > 2.00%"), combined.reasons());
  }

  @Test
  void aPassingSumPassesThoughASmallRegionHolds() {
    Analysis combined =
        CanaryAnalysis.combine(
            pass(), Map.of("eu-west", pass(), "ap-south", hold("3 canary requests < 100 needed")));

    assertEquals(Verdict.PASS, combined.verdict());
    assertEquals(List.of(), combined.reasons());
  }

  @Test
  void aHoldingSumHolds() {
    Analysis combined =
        CanaryAnalysis.combine(hold("40 canary requests < 100 needed"), Map.of("eu-west", pass()));

    assertEquals(Verdict.HOLD, combined.verdict());
    assertEquals(List.of("40 canary requests < 100 needed"), combined.reasons());
  }

  @Test
  void limitsRefuseWhatCannotBeALimit() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new AnalysisLimits(-1, 0.01, null, null, 0.02, 0.25, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AnalysisLimits(1, 1.5, null, null, 0.02, 0.25, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AnalysisLimits(1, 0.01, 0.0, null, 0.02, 0.25, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AnalysisLimits(1, 0.01, null, null, Double.NaN, 0.25, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new AnalysisLimits(1, 0.01, null, null, 0.02, -1, 1));
  }

  // --- helpers

  private static Histogram scores(int times) {
    return Histogram.of(
        Map.of(
            500.0,
            20.0 * times,
            550.0,
            80.0 * times,
            600.0,
            200.0 * times,
            650.0,
            330.0 * times,
            700.0,
            400.0 * times,
            INF,
            420.0 * times));
  }

  /** {@code fast} requests in (0, 10] ms, {@code slow} in (250, 500] ms. */
  private static Histogram latency(double fast, double slow) {
    return Histogram.of(Map.of(0.01, fast, 0.25, fast, 0.5, fast + slow, INF, fast + slow));
  }

  private static RaterSample traffic(
      double requests, double errors, double fallbacks, Histogram latency, Histogram ratings) {
    return new RaterSample(
        requests, errors, fallbacks, latency, ratings, Map.of(), ShadowFigures.NONE);
  }

  private static RaterSample stable() {
    return traffic(5000, 1, 0, latency(5000, 0), SCORES.plus(SCORES));
  }

  /** A stable track's increase with shadow figures; 2000 requests. */
  private static RaterSample shadow(
      double agree, double flip, double candidateError, Histogram live, Histogram candidate) {
    return new RaterSample(
        2000,
        0,
        0,
        latency(2000, 0),
        live,
        Map.of(),
        new ShadowFigures(agree, flip, candidateError, 0, 0, 0, live, candidate));
  }

  private static Figures figures() {
    return new Figures(1000, 0.0, 5.0, 9.0, 0.0, 0.01, 1000);
  }

  private static Analysis pass() {
    return new Analysis(Verdict.PASS, figures(), List.of());
  }

  private static Analysis hold(String reason) {
    return new Analysis(Verdict.HOLD, figures(), List.of(reason));
  }

  private static Analysis fail(String reason) {
    return new Analysis(Verdict.FAIL, figures(), List.of(reason));
  }
}
