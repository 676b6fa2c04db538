package dev.clawrate.operator.metrics;

import dev.clawrate.operator.api.KubeNames;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of what a {@link MetricsSource} is asked for. Region and track go into log lines, messages
 * and queries, tenant ids into queries: each is checked before use, and never quoted when wrong.
 */
final class ReadArguments {

  /** A tenant id, as the TenantConfig CRD and the snapshot codec accept it. */
  static final Pattern TENANT_ID = Pattern.compile("[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?");

  private ReadArguments() {}

  static void check(String region, String track, Set<String> tenants)
      throws MetricsUnavailableException {
    checkRegion(region);
    String why = KubeNames.whyNotDnsLabel(track);
    if (why != null) {
      throw new MetricsUnavailableException("the track name " + why);
    }
    if (tenants == null) {
      throw new MetricsUnavailableException("the tenant set is missing");
    }
    for (String tenant : tenants) {
      if (tenant == null || !TENANT_ID.matcher(tenant).matches()) {
        throw new MetricsUnavailableException("a tenant id is not a valid tenant id");
      }
    }
  }

  static void checkRegion(String region) throws MetricsUnavailableException {
    String why = KubeNames.whyNotDnsLabel(region);
    if (why != null) {
      throw new MetricsUnavailableException("the region name " + why);
    }
  }
}
