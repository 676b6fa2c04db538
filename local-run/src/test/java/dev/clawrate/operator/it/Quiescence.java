package dev.clawrate.operator.it;

import dev.clawrate.contract.testing.Await;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.search.Search;

/**
 * Waits until a (re)started operator has nothing left to do: it published, knows what its raters
 * serve, has no publish or recompute pending and no reconcile queued or running, and has reconciled
 * every resource at least once. Lets a test assert that something was not written, without
 * sleeping.
 */
final class Quiescence {

  private Quiescence() {}

  static void await(OperatorHarness region, int resources) {
    Await.until(
        "the operator settles", () -> settled(region, resources) && settled(region, resources));
  }

  private static boolean settled(OperatorHarness region, int resources) {
    var operator = region.operator();
    return operator.ready()
        && operator.idle()
        && operator.served().ready()
        && operator.served().idle()
        && sum(
                Search.in(region.meters())
                    .name(n -> n.startsWith("operator.sdk.reconciliations.queue.size")))
            == 0
        && sum(
                Search.in(region.meters())
                    .name(n -> n.startsWith("operator.sdk.reconciliations.executions")))
            == 0
        && Search.in(region.meters())
                .name("operator.sdk.reconciliations.success")
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum()
            >= resources;
  }

  private static double sum(Search search) {
    return search.gauges().stream().mapToDouble(Gauge::value).sum();
  }
}
