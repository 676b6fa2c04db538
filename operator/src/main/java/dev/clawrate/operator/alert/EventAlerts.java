package dev.clawrate.operator.alert;

import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryTargetRef;
import dev.clawrate.operator.api.KubeNames;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.canary.ReleasePhase;
import dev.clawrate.operator.served.RegionHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The alerts that are events rather than burn rates: a region serving the tenant is unhealthy, a
 * canary release of its model rolled back. Pure.
 */
public final class EventAlerts {

  public static final String REGION = "region";
  public static final String CANARY = "canary";

  private static final Pattern CONFIG_ID = Pattern.compile("[0-9a-f]{16}");

  private EventAlerts() {}

  /**
   * Fires while a region the tenant is served in has been {@code Degraded} or {@code Unreachable}
   * for at least {@code hold} (a moment's hiccup, such as raters catching up on a publish, is not
   * news); OK once none is.
   *
   * @param regions the regions the tenant names, or null for all
   * @param unhealthySince region to when it was last seen turning unhealthy; regions not in it are
   *     healthy
   */
  public static AlertCondition region(
      List<String> regions,
      Collection<RegionHealth> health,
      Map<String, Instant> unhealthySince,
      Duration hold,
      Instant now) {
    List<String> unhealthy = new ArrayList<>();
    boolean longEnough = false;
    for (RegionHealth region : health) {
      Instant since = unhealthySince.get(region.region());
      if (since == null || (regions != null && !regions.contains(region.region()))) {
        continue;
      }
      unhealthy.add(region.region());
      longEnough |= !since.plus(hold).isAfter(now);
    }
    unhealthy.sort(null);
    AlertCondition.Judgement judgement =
        unhealthy.isEmpty()
            ? AlertCondition.Judgement.OK
            : longEnough ? AlertCondition.Judgement.FIRING : AlertCondition.Judgement.UNKNOWN;
    String reason =
        unhealthy.isEmpty()
            ? "every region serving the tenant is healthy"
            : "unhealthy for at least " + hold.toSeconds() + "s: " + String.join(", ", unhealthy);
    return new AlertCondition(
        REGION,
        AlertKind.REGION,
        Severity.PAGE,
        judgement,
        Double.NaN,
        Double.NaN,
        unhealthy,
        reason);
  }

  /** Whether a region's health counts as unhealthy for alerts. */
  public static boolean unhealthy(RegionHealth health) {
    return RegionHealth.DEGRADED.equals(health.state())
        || RegionHealth.UNREACHABLE.equals(health.state());
  }

  /**
   * Fires while a CanaryRelease in the tenant's namespace that targets the tenant, or its model,
   * stands rolled back; OK once none does (a new version was released, or the spec reverted).
   */
  public static AlertCondition canary(TenantConfig tenant, Collection<CanaryRelease> releases) {
    String namespace = tenant.getMetadata().getNamespace();
    String model =
        tenant.getSpec() == null || tenant.getSpec().getModelRef() == null
            ? null
            : tenant.getSpec().getModelRef().getName();
    List<String> rolledBack = new ArrayList<>();
    String failed = null;
    for (CanaryRelease release : releases) {
      CanaryTargetRef target = release.getSpec() == null ? null : release.getSpec().getTargetRef();
      if (target == null
          || !namespace.equals(release.getMetadata().getNamespace())
          || release.getStatus() == null
          || !ReleasePhase.ROLLED_BACK.equals(release.getStatus().getPhase())) {
        continue;
      }
      boolean ofTenant =
          ("TenantConfig".equals(target.getKind())
                  && tenant.getMetadata().getName().equals(target.getName()))
              || ("RatingModel".equals(target.getKind()) && target.getName().equals(model));
      String name = release.getMetadata().getName();
      if (ofTenant && KubeNames.whyNotDnsSubdomain(name) == null) {
        rolledBack.add(name);
        String config =
            release.getStatus().getFailed() == null
                ? null
                : release.getStatus().getFailed().getConfig();
        if (config != null && CONFIG_ID.matcher(config).matches()) {
          failed = config;
        }
      }
    }
    rolledBack.sort(null);
    String reason =
        rolledBack.isEmpty()
            ? "no canary release of the tenant stands rolled back"
            : "CanaryRelease "
                + String.join(", ", rolledBack)
                + " rolled back"
                + (failed == null ? "" : " version " + failed);
    return new AlertCondition(
        CANARY,
        AlertKind.CANARY,
        Severity.TICKET,
        rolledBack.isEmpty() ? AlertCondition.Judgement.OK : AlertCondition.Judgement.FIRING,
        Double.NaN,
        Double.NaN,
        List.of(),
        reason);
  }
}
