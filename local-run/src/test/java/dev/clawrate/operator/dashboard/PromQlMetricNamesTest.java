package dev.clawrate.operator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

  private static List<String> names(String expr) {
    return List.copyOf(PromQlMetricNames.of(expr));
  }

  @Test
  void functionsAggregationsLabelsAndDurationsAreNoMetrics() {
    assertEquals(
        List.of("clawrate_rate_requests_seconds_bucket"),
        names(
            "histogram_quantile(0.95, sum by (le, tenant) (rate("
                + "clawrate_rate_requests_seconds_bucket{tenant=~\"$tenant\",le=\"0.1\"}"
                + "[$__rate_interval])))"));
  }

  @Test
  void bothSidesOfABinaryOperationAndItsMatchingAreRead() {
    assertEquals(
        List.of("a_total", "b_total"),
        names(
            "sum by (outcome) (rate(a_total{outcome!~\"ok|fallback\"}[5m])) / ignoring (outcome)"
                + " group_left sum(rate(b_total[5m])) and on (x) a_total offset 1h"));
  }

  @Test
  void numbersVariablesAndKeywordsAreNoMetrics() {
    assertEquals(
        List.of("up"),
        names("(1 - $availability_objective / 100) * 1e-3 + 0x1F > bool Inf or up == 1"));
    assertEquals(List.of("x"), names("max(x) without (a, b) unless x"));
  }

  @Test
  void aMetricBeforeItsSelectorOrAloneIsRead() {
    assertEquals(
        Set.of("clawrate_operator_raters"), PromQlMetricNames.of("clawrate_operator_raters"));
    assertEquals(
        List.of("m:recorded:rate5m"), names("m:recorded:rate5m{region=\"eu-west\"} offset -5m"));
  }

  @Test
  void aSelectorByNameIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PromQlMetricNames.of("max({__name__=~\"operator_sdk_.+\"})"));
  }
}
