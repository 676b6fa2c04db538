package dev.clawrate.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.alert.AlertCondition.Judgement;
import dev.clawrate.operator.api.CanaryRelease;
import dev.clawrate.operator.api.CanaryReleaseSpec;
import dev.clawrate.operator.api.CanaryReleaseStatus;
import dev.clawrate.operator.api.CanaryTargetRef;
import dev.clawrate.operator.api.CanaryVersionStatus;
import dev.clawrate.operator.api.ModelRef;
import dev.clawrate.operator.api.TenantConfig;
import dev.clawrate.operator.api.TenantConfigSpec;
import dev.clawrate.operator.canary.ReleasePhase;
import dev.clawrate.operator.served.RegionHealth;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventAlertsTest {

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Duration HOLD = Duration.ofMinutes(5);

  private static RegionHealth health(String region, String state) {
    return new RegionHealth(region, state, 3, 1, 1, 0, null);
  }

  private static final List<RegionHealth> REGIONS =
      List.of(
          health("local", RegionHealth.HEALTHY),
          health("eu-west", RegionHealth.UNREACHABLE),
          health("us-east", RegionHealth.DEGRADED));

  @Test
  void aRegionUnhealthyForTheHoldFiresAndNamesOnlyTheTenantsRegions() {
    AlertCondition all =
        EventAlerts.region(
            null,
            REGIONS,
            Map.of("eu-west", NOW.minus(HOLD), "us-east", NOW.minusSeconds(10)),
            HOLD,
            NOW);
    assertEquals(Judgement.FIRING, all.judgement());
    assertEquals(List.of("eu-west", "us-east"), all.regions());
    assertEquals(Severity.PAGE, all.severity());

    AlertCondition onlyLocal =
        EventAlerts.region(
            List.of("local"), REGIONS, Map.of("eu-west", NOW.minus(HOLD)), HOLD, NOW);
    assertEquals(Judgement.OK, onlyLocal.judgement(), "eu-west does not serve this tenant");
  }

  @Test
  void aRegionUnhealthyForLessThanTheHoldChangesNothingYet() {
    AlertCondition young =
        EventAlerts.region(null, REGIONS, Map.of("us-east", NOW.minusSeconds(10)), HOLD, NOW);
    assertEquals(Judgement.UNKNOWN, young.judgement());
    AlertCondition healthy = EventAlerts.region(null, REGIONS, Map.of(), HOLD, NOW);
    assertEquals(Judgement.OK, healthy.judgement());
  }

  @Test
  void onlyDegradedAndUnreachableCountAsUnhealthy() {
    assertTrue(EventAlerts.unhealthy(health("a", RegionHealth.DEGRADED)));
    assertTrue(EventAlerts.unhealthy(health("a", RegionHealth.UNREACHABLE)));
    assertEquals(false, EventAlerts.unhealthy(health("a", RegionHealth.UNKNOWN)));
    assertEquals(false, EventAlerts.unhealthy(health("a", RegionHealth.HEALTHY)));
  }

  private static TenantConfig tenant(String namespace, String name, String model) {
    TenantConfig tenant = new TenantConfig();
    tenant.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    TenantConfigSpec spec = new TenantConfigSpec();
    ModelRef ref = new ModelRef();
    ref.setName(model);
    spec.setModelRef(ref);
    tenant.setSpec(spec);
    return tenant;
  }

  private static CanaryRelease release(
      String namespace, String name, String kind, String target, String phase, String failed) {
    CanaryRelease release = new CanaryRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    CanaryReleaseSpec spec = new CanaryReleaseSpec();
    CanaryTargetRef ref = new CanaryTargetRef();
    ref.setKind(kind);
    ref.setName(target);
    spec.setTargetRef(ref);
    release.setSpec(spec);
    CanaryReleaseStatus status = new CanaryReleaseStatus();
    status.setPhase(phase);
    if (failed != null) {
      CanaryVersionStatus version = new CanaryVersionStatus();
      version.setConfig(failed);
      status.setFailed(version);
    }
    release.setStatus(status);
    return release;
  }

  @Test
  void aRolledBackReleaseOfTheTenantsModelFiresAndNamesTheRelease() {
    AlertCondition fired =
        EventAlerts.canary(
            tenant("bank", "acme", "scorecard"),
            List.of(
                release(
                    "bank",
                    "scorecard-canary",
                    "RatingModel",
                    "scorecard",
                    ReleasePhase.ROLLED_BACK,
                    "0123456789abcdef")));
    assertEquals(Judgement.FIRING, fired.judgement());
    assertEquals(
        "CanaryRelease scorecard-canary rolled back version 0123456789abcdef", fired.reason());
    assertEquals(Severity.TICKET, fired.severity());
  }

  @Test
  void otherNamespacesOtherTargetsAndOtherPhasesDoNotFire() {
    TenantConfig acme = tenant("bank", "acme", "scorecard");
    List<CanaryRelease> releases =
        List.of(
            release("other", "r1", "RatingModel", "scorecard", ReleasePhase.ROLLED_BACK, null),
            release("bank", "r2", "RatingModel", "another", ReleasePhase.ROLLED_BACK, null),
            release("bank", "r3", "TenantConfig", "globex", ReleasePhase.ROLLED_BACK, null),
            release("bank", "r4", "RatingModel", "scorecard", "Succeeded", null));
    assertEquals(Judgement.OK, EventAlerts.canary(acme, releases).judgement());
  }

  @Test
  void aReleaseOfTheTenantItselfCountsAndAForgedFailedVersionIsNotQuoted() {
    AlertCondition fired =
        EventAlerts.canary(
            tenant("bank", "acme", "scorecard"),
            List.of(
                release(
                    "bank",
                    "acme-canary",
                    "TenantConfig",
                    "acme",
                    ReleasePhase.ROLLED_BACK,
                    "<script>")));
    assertEquals(Judgement.FIRING, fired.judgement());
    assertEquals("CanaryRelease acme-canary rolled back", fired.reason());
  }
}
