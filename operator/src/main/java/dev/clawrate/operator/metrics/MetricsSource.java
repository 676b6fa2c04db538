package dev.clawrate.operator.metrics;

import java.util.Map;
import java.util.Set;

/**
 * Reads what the raters of one region and track report, instance by instance.
 *
 * <p>Samples are cumulative since each instance started. To judge a window, read twice and take
 * {@link RaterSamples#increase}: instances are compared by key, so an instance that restarted, came
 * or went in between is counted right. Sum instances (and regions) only after that.
 *
 * <p>An instance missing from a read had nothing to report for these tenants, could not be read, or
 * is gone; a source leaves out instances it cannot read, and throws only when it can read none.
 */
public interface MetricsSource {

  /**
   * @param region a region name (a DNS label)
   * @param track {@code stable} or {@code canary} (a DNS label)
   * @param tenants the tenant ids to sum over; each must be a valid tenant id
   * @return instance (a pod name, or a URL without credentials) to what it reports; empty when the
   *     track has no instance there
   * @throws MetricsUnavailableException when the region is unknown, an argument is invalid, or no
   *     instance could be read
   */
  Map<String, RaterSample> read(String region, String track, Set<String> tenants)
      throws MetricsUnavailableException;

  /**
   * Every tenant's figures, tenant by tenant, from every rater instance of the region, both tracks'
   * (a tenant's users see both): one read of each instance for all tenants, for SLOs evaluated per
   * tenant. A tenant's figures are summed over the tracks, models and digests an instance reports
   * for it; series whose {@code tenant} label is no valid tenant id are left out, and so are the
   * shadow figures ({@link ShadowFigures#NONE}).
   *
   * @param region a region name (a DNS label)
   * @return instance to tenant id to what the instance reports for the tenant; a tenant the
   *     instance reported nothing for is absent
   * @throws MetricsUnavailableException when the region is unknown or invalid, or no instance could
   *     be read
   */
  Map<String, Map<String, RaterSample>> readTenants(String region)
      throws MetricsUnavailableException;
}
