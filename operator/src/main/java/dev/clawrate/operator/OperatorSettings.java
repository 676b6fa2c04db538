package dev.clawrate.operator;

import dev.clawrate.operator.alert.AlertSettings;
import dev.clawrate.operator.egress.EgressPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How an operator instance runs.
 *
 * @param watchNamespace namespace of the RatingModels and TenantConfigs, or null for all
 * @param raterNamespace namespace the snapshot and module ConfigMaps are written to
 * @param leaderElection whether to take a Lease before reconciling (needed with 2+ replicas)
 * @param operatorNamespace the operator's own namespace: its leader Lease and the claims ConfigMap
 * @param publishQuiet changes closer together than this are published together
 * @param publishMaxDelay a steady stream of changes is still published at least this often
 * @param moduleGcGrace how long an unreferenced module ConfigMap is kept
 * @param localRegion whether the operator's own cluster is a region (named {@code local}) too
 * @param regionSyncGrace how long a region's watches may take to list before it counts as
 *     unreachable
 * @param prometheusUrls region to the Prometheus that scrapes its raters, read by canary analyses;
 *     empty to read each rater pod through its region's API server instead
 */
public record OperatorSettings(
    String watchNamespace,
    String raterNamespace,
    boolean leaderElection,
    String operatorNamespace,
    Duration publishQuiet,
    Duration publishMaxDelay,
    Duration moduleGcGrace,
    boolean localRegion,
    Duration regionSyncGrace,
    Map<String, URI> prometheusUrls,
    EgressPolicy egress,
    AlertSettings alerts) {

  public OperatorSettings {
    prometheusUrls = Map.copyOf(prometheusUrls);
    Objects.requireNonNull(egress, "egress");
    Objects.requireNonNull(alerts, "alerts");
  }

  public static final String LEASE_NAME = "clawrate-operator";

  /** Defaults for a namespace: watch all namespaces, publish into this one. */
  public static OperatorSettings defaults(String namespace) {
    return new OperatorSettings(
        null,
        namespace,
        false,
        namespace,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        Duration.ofMinutes(10),
        true,
        Duration.ofSeconds(5),
        Map.of(),
        EgressPolicy.defaults(),
        AlertSettings.defaults());
  }

  public OperatorSettings withLeaderElection(boolean enabled) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        enabled,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        moduleGcGrace,
        localRegion,
        regionSyncGrace,
        prometheusUrls,
        egress,
        alerts);
  }

  public OperatorSettings withWatchNamespace(String namespace) {
    return new OperatorSettings(
        namespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        moduleGcGrace,
        localRegion,
        regionSyncGrace,
        prometheusUrls,
        egress,
        alerts);
  }

  public OperatorSettings withModuleGcGrace(Duration grace) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        grace,
        localRegion,
        regionSyncGrace,
        prometheusUrls,
        egress,
        alerts);
  }

  public OperatorSettings withLocalRegion(boolean enabled) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        moduleGcGrace,
        enabled,
        regionSyncGrace,
        prometheusUrls,
        egress,
        alerts);
  }

  /**
   * Changes closer together than {@code quiet} are rendered together, waiting {@code maxDelay} at
   * most.
   */
  public OperatorSettings withPublishWindow(Duration quiet, Duration maxDelay) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        quiet,
        maxDelay,
        moduleGcGrace,
        localRegion,
        regionSyncGrace,
        prometheusUrls,
        egress,
        alerts);
  }

  /** Canary analyses read each region's raters from its Prometheus. */
  public OperatorSettings withPrometheusUrls(Map<String, URI> urls) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        moduleGcGrace,
        localRegion,
        regionSyncGrace,
        urls,
        egress,
        alerts);
  }

  /** Where the operator may connect on a tenant's behalf. */
  public OperatorSettings withEgress(EgressPolicy policy) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        moduleGcGrace,
        localRegion,
        regionSyncGrace,
        prometheusUrls,
        policy,
        alerts);
  }

  /** How SLOs are evaluated and receivers notified. */
  public OperatorSettings withAlerts(AlertSettings settings) {
    return new OperatorSettings(
        watchNamespace,
        raterNamespace,
        leaderElection,
        operatorNamespace,
        publishQuiet,
        publishMaxDelay,
        moduleGcGrace,
        localRegion,
        regionSyncGrace,
        prometheusUrls,
        egress,
        settings);
  }
}
