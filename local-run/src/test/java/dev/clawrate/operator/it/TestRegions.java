package dev.clawrate.operator.it;

import dev.clawrate.local.LocalCluster;
import dev.clawrate.local.LocalRegion;
import dev.clawrate.operator.ClawrateOperator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Regions for integration tests: per region a mock API server with a stable and a canary rater, the
 * example HTTPRoute and its stand-in gateway; every region but the hub ({@code local}) registered
 * in the hub by its region Secret.
 */
final class TestRegions {

  private TestRegions() {}

  /**
   * @param started gets everything started, in order, to close newest first
   * @param clusters gets each region's API server
   * @param regions gets each region's raters and gateway
   */
  static void start(
      List<String> names,
      Path dir,
      List<AutoCloseable> started,
      Map<String, LocalCluster> clusters,
      Map<String, LocalRegion> regions)
      throws Exception {
    for (String name : names) {
      LocalCluster cluster = LocalCluster.start(0);
      started.add(cluster);
      clusters.put(name, cluster);
      LocalRegion region =
          LocalRegion.start(
              name,
              cluster,
              dir,
              0,
              LocalRegion.exampleRoute(),
              "--kube-sync-timeout-seconds",
              "2",
              "--heartbeat-seconds",
              "1");
      started.add(region);
      regions.put(name, region);
      if (!name.equals(ClawrateOperator.LOCAL_REGION)) {
        LocalCluster.registerRegion(
            clusters.get(ClawrateOperator.LOCAL_REGION).client(), name, cluster);
      }
    }
  }
}
