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

  private static final RaterSample ONE_REQUEST =
      RaterSamples.from(
          List.of(
              new MetricSample(
                  RaterSeries.REQUESTS_COUNT,
                  Map.of("tenant", "t", "track", "stable", "outcome", "ok"),
                  1)),
          "stable",
          Set.of("t"));

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
    Scrape<RaterSample> down = Scrape.failed("pod-b", "stable", "HTTP 403");
    Scrape<RaterSample> upA = readable("pod-a", "stable", SkippedLines.NONE);
    Scrape<RaterSample> upB = readable("pod-b", "stable", SkippedLines.NONE);

    read(upA, down);
    read(upA, down);
    assertEquals(List.of("rater metrics cannot be read; the instance is left out"), messages());

    read(upA, upB);
    read(upA, upB);
    assertEquals(2, messages().size());
    assertEquals("rater metrics readable again", messages().get(1));

    read(upA, readable("pod-b", "stable", new SkippedLines(3, 17)));
    read(upA, readable("pod-b", "stable", new SkippedLines(3, 17)));
    assertEquals(3, messages().size());
    assertEquals(
        "rater metrics have lines that cannot be read; they are left out", messages().get(2));
    assertEquals(
        List.of("test", "eu-west", "stable", "pod-b", 3, 17),
        logged.list.get(2).getKeyValuePairs().stream().map(kv -> kv.value).toList());
  }

  @Test
  void readsOfOneTrackAndOfEveryTrackShareWhatTheyKnowOfAnInstance() throws Exception {
    Scrape<RaterSample> stableDown = Scrape.failed("pod-b", "stable", "HTTP 403");
    Scrape<RaterSample> canaryDown = Scrape.failed("pod-c", "canary", "timed out");
    Scrape<RaterSample> stableUp = readable("pod-a", "stable", SkippedLines.NONE);

    read(stableUp, stableDown);
    outcomes.toSamples(
        "eu-west", Set.of("canary", "stable"), List.of(stableUp, stableDown, canaryDown));
    read(stableUp, stableDown);
    assertThrows(
        MetricsUnavailableException.class,
        () -> outcomes.toSamples("eu-west", Set.of("canary"), List.of(canaryDown)));

    assertEquals(2, messages().size(), "pod-b once, pod-c once: " + messages());
  }

  @Test
  void anInstanceThatWentAndCameBackIsLoggedAfresh() throws Exception {
    Scrape<RaterSample> upA = readable("pod-a", "stable", SkippedLines.NONE);
    Scrape<RaterSample> down = Scrape.failed("pod-b", "stable", "timed out");

    read(upA, down);
    read(upA);
    read(upA, down);

    assertEquals(2, messages().size());
  }

  @Test
  void samplesTheReadableInstancesAndFailsWhenNoneIs() throws Exception {
    Map<String, RaterSample> samples =
        read(
            readable("pod-a", "stable", SkippedLines.NONE),
            Scrape.failed("pod-b", "stable", "timed out"));
    assertEquals(Set.of("pod-a"), samples.keySet());
    assertEquals(1, samples.get("pod-a").requests());

    MetricsUnavailableException e =
        assertThrows(
            MetricsUnavailableException.class,
            () ->
                read(
                    Scrape.failed("pod-a", "stable", "timed out"),
                    Scrape.failed("pod-b", "stable", "HTTP 403")));
    assertEquals(
        "none of the 2 rater instances of region eu-west, track stable, could be read"
            + " (the first: timed out)",
        e.getMessage());
    assertEquals(Map.of(), read());
  }

  @SafeVarargs
  private Map<String, RaterSample> read(Scrape<RaterSample>... scrapes)
      throws MetricsUnavailableException {
    return outcomes.toSamples("eu-west", Set.of("stable"), List.of(scrapes));
  }

  private static Scrape<RaterSample> readable(String pod, String track, SkippedLines skipped) {
    return new Scrape<>(pod, track, ONE_REQUEST, skipped, null);
  }

  private List<String> messages() {
    return logged.list.stream().map(ILoggingEvent::getMessage).toList();
  }
}
