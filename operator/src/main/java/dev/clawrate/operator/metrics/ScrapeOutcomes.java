package dev.clawrate.operator.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the scrapes of a region's instances into what was read of each, and logs each instance's
 * state only when it changes (unreadable, readable again, readable but with lines left out), so a
 * rater that stays down is one warning, not one per analysis, whichever reads find it down.
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
   * @param tracks the tracks whose instances were all scraped: an instance of them not among the
   *     scrapes is gone
   * @return instance to what was read of it, for the instances that could be read
   * @throws MetricsUnavailableException when there were instances and none could be read
   */
  <T> Map<String, T> toSamples(String region, Set<String> tracks, List<Scrape<T>> scrapes)
      throws MetricsUnavailableException {
    Map<String, T> samples = new LinkedHashMap<>();
    Set<InstanceKey> seen = new HashSet<>();
    String firstProblem = null;
    for (Scrape<T> scrape : scrapes) {
      InstanceKey key = new InstanceKey(region, scrape.track(), scrape.instance());
      seen.add(key);
      if (scrape.result() == null) {
        if (firstProblem == null) {
          firstProblem = scrape.problem();
        }
        record(key, scrape.problem(), scrape);
        continue;
      }
      record(key, scrape.skipped().count() > 0 ? PARTLY : FINE, scrape);
      samples.put(scrape.instance(), scrape.result());
    }
    // Instances gone from the region are forgotten; one that comes back logs afresh.
    lastState
        .keySet()
        .removeIf(
            k -> k.region().equals(region) && tracks.contains(k.track()) && !seen.contains(k));
    if (!scrapes.isEmpty() && samples.isEmpty()) {
      throw new MetricsUnavailableException(
          "none of the "
              + scrapes.size()
              + " rater instances of region "
              + region
              + ", "
              + describe(tracks)
              + ", could be read (the first: "
              + firstProblem
              + ")");
    }
    return samples;
  }

  /** {@code track stable}, or {@code tracks canary and stable}. */
  private static String describe(Set<String> tracks) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(tracks));
    return sorted.size() == 1 ? "track " + sorted.get(0) : "tracks " + String.join(" and ", sorted);
  }

  private void record(InstanceKey key, String state, Scrape<?> scrape) {
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
          .addKeyValue("skippedLines", scrape.skipped().count())
          .addKeyValue("firstSkippedLine", scrape.skipped().first())
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
