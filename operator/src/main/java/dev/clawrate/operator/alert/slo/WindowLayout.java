package dev.clawrate.operator.alert.slo;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * The distinct windows one set of rules looks at, shortest first: what a {@link WindowedCounts}
 * keeps a ring of sub-buckets for. Each window is cut into {@link #SUB_BUCKETS} sub-buckets of a
 * twelfth of it (rounded up to a millisecond).
 *
 * @param windows distinct, ascending, each at least a millisecond
 */
public record WindowLayout(List<Duration> windows) {

  /** How many sub-buckets make up a window: its resolution is a twelfth of it. */
  public static final int SUB_BUCKETS = 12;

  public WindowLayout {
    windows = List.copyOf(new TreeSet<>(windows));
    if (windows.isEmpty() || windows.get(0).toMillis() < 1) {
      throw new IllegalArgumentException("windows must be at least a millisecond long");
    }
  }

  /** The index of {@code window}, or -1 when the layout has no such window. */
  public int indexOf(Duration window) {
    return windows.indexOf(window);
  }

  /** How long a sub-bucket of the window at {@code index} is, in milliseconds. */
  long subBucketMillis(int index) {
    long millis = windows.get(index).toMillis();
    return (millis + SUB_BUCKETS - 1) / SUB_BUCKETS;
  }
}
