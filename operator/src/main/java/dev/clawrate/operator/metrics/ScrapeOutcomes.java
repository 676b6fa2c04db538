package dev.clawrate.operator.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the scrapes of one region and track into samples, and logs each instance's state only when
 * it changes (unreadable, readable again, readable but with lines left out), so a rater that stays
 * down is one warning, not one per analysis.
 */
final class ScrapeOutcomes {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeOutcomes.class);
  private static final String FINE = "";
  private static final String PARTLY = "partly";

  private final String source;
  // Each instance's last state by region, track and instance. Concurrent: reads of different
  // regions may run at once; an instance is read by one read at a time.
  private final Map<InstanceKey, String> lastState = new ConcurrentHashMap<>();

  private record InstanceKey(String region, String track, String instance) {}

  /**
   * @param source the source's name in log lines, e.g. {@code direct}
   */
  ScrapeOutcomes(String source) {
    this.source = source;
  }

  /**
   * @throws MetricsUnavailableException when there were instances and none could be read
   */
  Map<String, RaterSample> toSamples(
      String region, String track, Set<String> tenants, List<Scrape> scrapes)
      throws MetricsUnavailableException {
    Map<String, RaterSample> samples = new LinkedHashMap<>();
    Set<InstanceKey> seen = new HashSet<>();
    String firstProblem = null;
    for (Scrape scrape : scrapes) {
      InstanceKey key = new InstanceKey(region, track, scrape.instance());
      seen.add(key);
      if (scrape.metrics() == null) {
        if (firstProblem == null) {
          firstProblem = scrape.problem();
        }
        record(key, scrape.problem(), scrape);
        continue;
      }
      record(key, scrape.metrics().skippedLines() > 0 ? PARTLY : FINE, scrape);
      samples.put(scrape.instance(), RaterSamples.from(scrape.metrics().samples(), track, tenants));
    }
    // Instances gone from the region are forgotten; one that comes back logs afresh.
    lastState
        .keySet()
        .removeIf(k -> k.region().equals(region) && k.track().equals(track) && !seen.contains(k));
    if (!scrapes.isEmpty() && samples.isEmpty()) {
      throw new MetricsUnavailableException(
          "none of the "
              + scrapes.size()
              + " rater instances of region "
              + region
              + ", track "
              + track
              + ", could be read (the first: "
              + firstProblem
              + ")");
    }
    return samples;
  }

  private void record(InstanceKey key, String state, Scrape scrape) {
    String previous = lastState.put(key, state);
    if (state.equals(previous) || (previous == null && state.equals(FINE))) {
      return;
    }
    if (state.equals(FINE)) {
      LOG.atInfo()
          .addKeyValue("source", source)
          .addKeyValue("region", key.region())
          .addKeyValue("track", key.track())
          .addKeyValue("instance", key.instance())
          .log("rater metrics readable again");
    } else if (state.equals(PARTLY)) {
      LOG.atWarn()
          .addKeyValue("source", source)
          .addKeyValue("region", key.region())
          .addKeyValue("track", key.track())
          .addKeyValue("instance", key.instance())
          .addKeyValue("skippedLines", scrape.metrics().skippedLines())
          .addKeyValue("firstSkippedLine", scrape.metrics().firstSkippedLine())
          .log("rater metrics have lines that cannot be read; they are left out");
    } else {
      LOG.atWarn()
          .addKeyValue("source", source)
          .addKeyValue("region", key.region())
          .addKeyValue("track", key.track())
          .addKeyValue("instance", key.instance())
          .addKeyValue("problem", state)
          .log("rater metrics cannot be read; the instance is left out");
    }
  }
}
