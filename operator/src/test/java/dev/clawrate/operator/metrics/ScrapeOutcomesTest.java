package dev.clawrate.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ScrapeOutcomesTest {

  private static final ParsedMetrics ONE_REQUEST =
      new ParsedMetrics(
          List.of(
              new MetricSample(
                  RaterSeries.REQUESTS_COUNT,
                  Map.of("tenant", "t", "track", "stable", "outcome", "ok"),
                  1)),
          0,
          0);
  private static final ParsedMetrics WITH_SKIPPED_LINES =
      new ParsedMetrics(ONE_REQUEST.samples(), 3, 17);

  private final Logger logger = (Logger) LoggerFactory.getLogger(ScrapeOutcomes.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final ScrapeOutcomes outcomes = new ScrapeOutcomes("test");

  @BeforeEach
  void capture() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  @Test
  void logsAnInstanceOnlyWhenItsStateChanges() throws Exception {
    Scrape down = Scrape.failed("pod-b", "HTTP 403");
    Scrape upA = Scrape.read("pod-a", ONE_REQUEST);
    Scrape upB = Scrape.read("pod-b", ONE_REQUEST);

    read(upA, down);
    read(upA, down);
    assertEquals(List.of("rater metrics cannot be read; the instance is left out"), messages());

    read(upA, upB);
    read(upA, upB);
    assertEquals(2, messages().size());
    assertEquals("rater metrics readable again", messages().get(1));

    read(upA, Scrape.read("pod-b", WITH_SKIPPED_LINES));
    read(upA, Scrape.read("pod-b", WITH_SKIPPED_LINES));
    assertEquals(3, messages().size());
    assertEquals(
        "rater metrics have lines that cannot be read; they are left out", messages().get(2));
    assertEquals(
        List.of("test", "eu-west", "stable", "pod-b", 3, 17),
        logged.list.get(2).getKeyValuePairs().stream().map(kv -> kv.value).toList());
  }

  @Test
  void anInstanceThatWentAndCameBackIsLoggedAfresh() throws Exception {
    Scrape upA = Scrape.read("pod-a", ONE_REQUEST);
    Scrape down = Scrape.failed("pod-b", "timed out");

    read(upA, down);
    read(upA);
    read(upA, down);

    assertEquals(2, messages().size());
  }

  @Test
  void samplesTheReadableInstancesAndFailsWhenNoneIs() throws Exception {
    Map<String, RaterSample> samples =
        read(Scrape.read("pod-a", ONE_REQUEST), Scrape.failed("pod-b", "timed out"));
    assertEquals(Set.of("pod-a"), samples.keySet());
    assertEquals(1, samples.get("pod-a").requests());

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class,
            () -> read(Scrape.failed("pod-a", "timed out"), Scrape.failed("pod-b", "HTTP 403")));
    assertEquals(
        "none of the 2 rater instances of region eu-west, track stable, could be read"
            + " (the first: timed out)",
        e.getMessage());
    assertEquals(Map.of(), read());
  }

  private Map<String, RaterSample> read(Scrape... scrapes) throws MetricsUnavailableException {
    return outcomes.toSamples("eu-west", "stable", Set.of("t"), List.of(scrapes));
  }

  private List<String> messages() {
    return logged.list.stream().map(ILoggingEvent::getMessage).toList();
  }
}
