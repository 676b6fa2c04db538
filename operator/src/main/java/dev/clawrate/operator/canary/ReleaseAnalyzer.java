package dev.clawrate.operator.canary;

import dev.clawrate.contract.snapshot.SnapshotCodec;
import dev.clawrate.operator.metrics.MetricsSource;
import dev.clawrate.operator.metrics.MetricsUnavailableException;
import dev.clawrate.operator.metrics.RaterSample;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures a release once per analysis interval: reads the raters' metrics of every judged region
 * from the {@link MetricsSource}, takes the increase since the interval began, and judges each
 * region and the regions together with {@link CanaryAnalysis}. A breach anywhere fails the whole.
 *
 * <p>The window of each release lives here, in memory: after a restart the first interval starts
 * over, which delays a verdict by one interval and never judges on a partial window.
 */
public final class ReleaseAnalyzer {

  /** Where an interval began: its time and every instance's cumulative figures then. */
  private record Window(Instant start, Map<String, Map<String, RaterSample>> base) {}

  private final MetricsSource source;
  // One entry per release being judged; reconciles of one release never run at once (JOSDK), but
  // those of different releases do.
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public ReleaseAnalyzer(MetricsSource source) {
    this.source = source;
  }

  /** Forgets a release's window: the next call starts a new interval. */
  public void reset(String release) {
    windows.remove(release);
  }

  /**
   * @param shadow judge the shadow comparisons of the stable raters, not canary traffic
   * @param regions the regions judged: every region in the shadow phase, those with canary traffic
   *     after it
   * @return the verdict of an interval that just ended, or null while none has
   */
  public Analysis analyze(
      String release,
      boolean shadow,
      List<String> regions,
      Set<String> tenants,
      ReleaseSettings settings,
      Instant now) {
    Window window = windows.get(release);
    Map<String, Map<String, RaterSample>> current;
    try {
      current = read(shadow, regions, tenants);
    } catch (MetricsUnavailableException e) {
      return window == null || now.isBefore(window.start().plus(settings.interval()))
          ? null
          : new Analysis(
              Verdict.HOLD,
              new Figures(0, null, null, null, null, null, 0),
              List.of("metrics unavailable: " + e.getMessage()));
    }
    if (window == null) {
      windows.put(release, new Window(now, current));
      return null;
    }
    if (now.isBefore(window.start().plus(settings.interval()))) {
      return null;
    }
    windows.put(release, new Window(now, current));
    Map<String, Analysis> byRegion = new LinkedHashMap<>();
    RaterSample canaryTotal = RaterSample.EMPTY;
    RaterSample stableTotal = RaterSample.EMPTY;
    for (String region : regions) {
      RaterSample stable = increase(window, current, key(region, SnapshotCodec.TRACK_STABLE));
      stableTotal = stableTotal.plus(stable);
      if (shadow) {
        byRegion.put(region, CanaryAnalysis.judgeShadow(stable, settings.limits()));
      } else {
        RaterSample canary = increase(window, current, key(region, SnapshotCodec.TRACK_CANARY));
        canaryTotal = canaryTotal.plus(canary);
        byRegion.put(
            region, CanaryAnalysis.judgeTraffic(canary, stable, stable, settings.limits()));
      }
    }
    Analysis total =
        shadow
            ? CanaryAnalysis.judgeShadow(stableTotal, settings.limits())
            : CanaryAnalysis.judgeTraffic(canaryTotal, stableTotal, stableTotal, settings.limits());
    return CanaryAnalysis.combine(total, byRegion);
  }

  private Map<String, Map<String, RaterSample>> read(
      boolean shadow, List<String> regions, Set<String> tenants)
      throws MetricsUnavailableException {
    Map<String, Map<String, RaterSample>> read = new HashMap<>();
    for (String region : regions) {
      read.put(
          key(region, SnapshotCodec.TRACK_STABLE),
          source.read(region, SnapshotCodec.TRACK_STABLE, tenants));
      if (!shadow) {
        read.put(
            key(region, SnapshotCodec.TRACK_CANARY),
            source.read(region, SnapshotCodec.TRACK_CANARY, tenants));
      }
    }
    return read;
  }

  /**
   * The increase of one region's track over the window, summed over its instances. An instance that
   * was not there when the window began is left out until the next one: its counts may date from
   * before the window.
   */
  private static RaterSample increase(
      Window window, Map<String, Map<String, RaterSample>> current, String key) {
    Map<String, RaterSample> then = window.base().getOrDefault(key, Map.of());
    RaterSample sum = RaterSample.EMPTY;
    for (Map.Entry<String, RaterSample> instance : current.getOrDefault(key, Map.of()).entrySet()) {
      RaterSample before = then.get(instance.getKey());
      if (before != null) {
        sum = sum.plus(instance.getValue().minus(before));
      }
    }
    return sum;
  }

  private static String key(String region, String track) {
    return region + "/" + track;
  }
}
