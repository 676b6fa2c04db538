package dev.clawrate.operator.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.api.CanaryAnalysisSpec;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryShadowSpec;
import dev.clawrate.operator.api.CanaryStepSpec;
import dev.clawrate.operator.api.GoDuration;
import dev.clawrate.operator.traffic.WeightSplit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A release's spec with its defaults applied, and the durations it is written in. Pure. */
class ReleaseSettingsTest {

  private static CanaryStepSpec step(Double weight, String pause) {
    CanaryStepSpec step = new CanaryStepSpec();
    step.setWeight(weight);
    step.setPause(pause);
    return step;
  }

  @Test
  void anAlmostEmptySpecGetsTheDocumentedDefaults() {
    CanaryReleaseSpec spec = new CanaryReleaseSpec();
    spec.setSteps(List.of(step(5.0, null)));
    ReleaseSettings settings = ReleaseSettings.of(spec);
    assertEquals(Duration.ofSeconds(30), settings.interval());
    assertEquals(Duration.ofMinutes(10), settings.progressDeadline());
    assertEquals(0, settings.failureLimit());
    assertEquals(50, settings.limits().minRequests());
    assertEquals(0.01, settings.limits().maxErrorRate(), 1e-12);
    assertEquals(0.01, settings.limits().maxFlipRate(), 1e-12);
    assertEquals(0.25, settings.limits().maxPopulationStability());
    assertNull(settings.limits().maxP99Millis());
    assertNull(settings.shadowSampleRate(), "no shadow phase unless asked");
    assertNull(settings.regions(), "every region");
    assertFalse(settings.paused());
    assertEquals(
        List.of(new ReleaseSettings.Step(WeightSplit.canaryPercent(5), Duration.ZERO)),
        settings.steps());
  }

  @Test
  void percentagesBecomeSharesAndWeightsAreRoundedToTheGatewaysResolution() {
    CanaryReleaseSpec spec = new CanaryReleaseSpec();
    spec.setSteps(List.of(step(0.1, "30s"), step(2.50049, "1m30s")));
    CanaryShadowSpec shadow = new CanaryShadowSpec();
    shadow.setSamplePercent(20.0);
    spec.setShadow(shadow);
    CanaryAnalysisSpec analysis = new CanaryAnalysisSpec();
    analysis.setMaxErrorRatePercent(0.5);
    analysis.setInterval("250ms");
    spec.setAnalysis(analysis);
    spec.setPaused(true);
    ReleaseSettings settings = ReleaseSettings.of(spec);
    assertEquals(100, settings.steps().get(0).weight().canary(), "0.1% of 100000");
    assertEquals(2500, settings.steps().get(1).weight().canary());
    assertEquals(Duration.ofSeconds(90), settings.steps().get(1).pause());
    assertEquals(0.2, settings.shadowSampleRate(), 1e-12);
    assertEquals(0.005, settings.limits().maxErrorRate(), 1e-12);
    assertEquals(
        Duration.ofSeconds(1), settings.interval(), "an interval under a second reads as 1 s");
    assertTrue(settings.paused());
  }

  @Test
  void durationsReadAsKubernetesUsersWriteThemAndGarbageReadsAsTheDefault() {
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m", Duration.ZERO));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1s500ms", Duration.ZERO));
    assertEquals(Duration.ofSeconds(7), GoDuration.parse("7 s", Duration.ofSeconds(7)));
    assertEquals(Duration.ofSeconds(7), GoDuration.parse("-1s", Duration.ofSeconds(7)));
    assertEquals(Duration.ofSeconds(7), GoDuration.parse(null, Duration.ofSeconds(7)));
  }
}
