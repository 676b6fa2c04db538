package dev.clawrate.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.operator.api.ClawrateApi;
import dev.clawrate.operator.api.RegionStatus;
import dev.clawrate.operator.publish.Publication;
import dev.clawrate.operator.render.Exclusion;
import dev.clawrate.operator.render.ResourceKey;
import dev.clawrate.operator.served.RegionServing;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Region status and the served conditions, from publications and rater counts. Pure. */
class RegionStatusesTest {

  private static final ResourceKey MODEL = ResourceKey.model("lending", "scorecard");
  private static final String NEW = "sha256:" + "a".repeat(64);
  private static final String OLD = "sha256:" + "b".repeat(64);

  private static Publication carrying(String region, String digest) {
    return new Publication(
        region,
        4,
        Map.of(MODEL, new Publication.Published("scorecard", digest, 4, 1, Instant.EPOCH, true)),
        Map.of(),
        Set.of(),
        Instant.EPOCH,
        null,
        false);
  }

  private static Condition condition(ConditionSet set, String type) {
    return set.toList().stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
  }

  private static ConditionSet conditions() {
    return new ConditionSet(List.of(), 1, Instant.EPOCH);
  }

  @Test
  void everyRaterServingItIsSyncedAndReady() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            1,
            List.of(carrying("local", NEW)),
            List.of(new RegionServing(2, 2, NEW, null)),
            null,
            null);
    RegionStatus local = summary.regions().get(0);
    assertEquals(NEW, local.getDigest());
    assertTrue(local.getSynced());
    assertEquals(2, local.getRatersServing());
    assertEquals(2, local.getRatersTotal());
    assertNull(local.getMessage());
    assertEquals("1/1", summary.syncedOf());
    assertEquals("2/2", summary.ratersOf());

    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("True", condition(set, ClawrateApi.READY).getStatus());
    assertEquals("True", condition(set, ClawrateApi.CLAIMED).getStatus());
    assertEquals("False", condition(set, ClawrateApi.DEGRADED).getStatus());
  }

  @Test
  void writtenButNotYetServedIsRollingOutNotReady() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            1,
            List.of(carrying("local", NEW)),
            List.of(new RegionServing(1, 2, OLD, null)),
            null,
            null);
    assertFalse(summary.regions().get(0).getSynced());
    assertEquals("served by 1 of 2 raters", summary.regions().get(0).getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("False", condition(set, ClawrateApi.READY).getStatus());
    assertEquals("RollingOut", condition(set, ClawrateApi.READY).getReason());
    assertEquals("True", condition(set, ClawrateApi.PROGRESSING).getStatus());
  }

  @Test
  void aRaterRejectionIsTheConditionWithTheRatersReason() {
    String why = "rater clawrate-rater-x rejected snapshot revision 4: module missing";
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            1,
            List.of(carrying("local", NEW)),
            List.of(new RegionServing(0, 1, OLD, why)),
            null,
            null);
    assertEquals(why, summary.regions().get(0).getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    Condition ready = condition(set, ClawrateApi.READY);
    assertEquals("False", ready.getStatus());
    assertEquals("RaterRejected", ready.getReason());
    assertEquals(why, ready.getMessage());
    assertEquals("True", condition(set, ClawrateApi.DEGRADED).getStatus());
  }

  @Test
  void noLiveRaterIsNotReady() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL, 1, List.of(carrying("local", NEW)), List.of(RegionServing.NONE), null, null);
    assertEquals("no live rater in this region", summary.regions().get(0).getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("NoRaters", condition(set, ClawrateApi.READY).getReason());
  }

  @Test
  void aRegionNotYetPublishedSaysSo() {
    RegionStatus eu =
        RegionStatuses.of(
                MODEL,
                1,
                List.of(Publication.unknown("eu")),
                List.of(RegionServing.NONE),
                null,
                null)
            .regions()
            .get(0);
    assertFalse(eu.getSynced());
    assertNull(eu.getDigest());
    assertEquals("not published yet", eu.getMessage());
  }

  @Test
  void aRefusedClaimIsAConditionOnTheClaimant() {
    Exclusion refused =
        Exclusion.of(Exclusion.NAME_CLAIMED, "model name 'scorecard' belongs to another namespace");
    Publication publication =
        new Publication(
            "local", 3, Map.of(), Map.of(MODEL, refused), Set.of(), Instant.EPOCH, null, false);
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            1,
            List.of(publication),
            List.of(new RegionServing(0, 2, null, null)),
            null,
            null);
    assertEquals(refused.message(), summary.regions().get(0).getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("False", condition(set, ClawrateApi.CLAIMED).getStatus());
    assertEquals("ClaimedByAnotherNamespace", condition(set, ClawrateApi.CLAIMED).getReason());
    assertEquals(Exclusion.NAME_CLAIMED, condition(set, ClawrateApi.READY).getReason());
  }

  @Test
  void aCarriedOverTenantIsDegradedButKeepsItsClaim() {
    ResourceKey tenant = ResourceKey.tenant("lending", "acme");
    Exclusion carried =
        Exclusion.of(Exclusion.MODEL_NOT_FOUND, "RatingModel lending/x does not exist").carried();
    Publication publication =
        new Publication(
            "local",
            3,
            Map.of(tenant, new Publication.Published("scorecard", OLD, 2, 1, Instant.EPOCH, true)),
            Map.of(tenant, carried),
            Set.of(),
            Instant.EPOCH,
            null,
            false);
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            tenant,
            1,
            List.of(publication),
            List.of(new RegionServing(1, 1, OLD, null)),
            null,
            null);
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "tenant acme", "tenant id 'acme'");
    assertEquals("True", condition(set, ClawrateApi.DEGRADED).getStatus());
    assertEquals("ServingPreviousConfiguration", condition(set, ClawrateApi.DEGRADED).getReason());
    assertEquals("True", condition(set, ClawrateApi.CLAIMED).getStatus());
    assertEquals("False", condition(set, ClawrateApi.READY).getStatus());
  }

  @Test
  void aFailingRegionSaysItServesItsLastSnapshot() {
    Publication failing = carrying("us", OLD).failed(Map.of(), Set.of(), "HTTP 503", true);
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL, 1, List.of(failing), List.of(new RegionServing(2, 2, OLD, null)), null, null);
    assertEquals(
        "the region's API server does not answer (HTTP 503); its raters serve their last snapshot",
        summary.regions().get(0).getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("RegionUnreachable", condition(set, ClawrateApi.READY).getReason());
  }

  @Test
  void aResourceNoSnapshotCarriesYetClaimsNothingAndIsPublishing() {
    Publication before =
        new Publication("local", 3, Map.of(), Map.of(), Set.of(), Instant.EPOCH, null, false);
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL, 1, List.of(before), List.of(new RegionServing(0, 2, null, null)), null, null);
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertNull(condition(set, ClawrateApi.CLAIMED), "nothing claimed before it is published");
    assertEquals("Publishing", condition(set, ClawrateApi.READY).getReason());
  }

  @Test
  void aRegionStillCarryingAnOlderGenerationIsNotReadyWhateverItsRatersServe() {
    // Generation 2 validated a new digest; the region still carries what generation 1 published.
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            2,
            List.of(carrying("local", OLD)),
            List.of(new RegionServing(2, 2, OLD, null)),
            null,
            null);
    assertFalse(summary.regions().get(0).getSynced());
    assertEquals("publishing the new version", summary.regions().get(0).getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("False", condition(set, ClawrateApi.READY).getStatus());
    assertEquals("Publishing", condition(set, ClawrateApi.READY).getReason());
  }

  @Test
  void aTenantThatNamesOtherRegionsIsLeftOutOfThisOnesList() {
    ResourceKey tenant = ResourceKey.tenant("lending", "acme");
    Publication local =
        new Publication("local", 3, Map.of(), Map.of(), Set.of(tenant), Instant.EPOCH, null, false);
    Publication eu =
        new Publication(
            "eu-west",
            5,
            Map.of(tenant, new Publication.Published("scorecard", NEW, 5, 1, Instant.EPOCH, true)),
            Map.of(),
            Set.of(),
            Instant.EPOCH,
            null,
            false);
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            tenant,
            1,
            List.of(local, eu),
            List.of(RegionServing.NONE, new RegionServing(1, 1, NEW, null)),
            List.of("eu-west"),
            null);
    assertEquals(
        List.of("eu-west"), summary.regions().stream().map(RegionStatus::getName).toList());
    assertEquals("1/1", summary.syncedOf());
  }

  @Test
  void aNamedRegionThatIsNotRegisteredIsPending() {
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            1,
            List.of(carrying("local", NEW)),
            List.of(new RegionServing(1, 1, NEW, null)),
            List.of("local", "ap-south"),
            null);
    assertEquals("1/2", summary.syncedOf());
    RegionStatus missing = summary.regions().get(1);
    assertEquals("ap-south", missing.getName());
    assertEquals(RegionStatus.PENDING, missing.getState());
    assertEquals("no region of this name is registered", missing.getMessage());
    ConditionSet set = conditions();
    ServedConditions.apply(set, summary, "model scorecard", "model name 'scorecard'");
    assertEquals("False", condition(set, ClawrateApi.READY).getStatus());
  }

  @Test
  void statesTellUnreachableFromFailedFromPendingFromSynced() {
    Publication down = carrying("a", NEW).failed(Map.of(), Set.of(), "HTTP 503", true);
    Publication refused = carrying("b", NEW).failed(Map.of(), Set.of(), "HTTP 403", false);
    Publication rolling = carrying("c", NEW);
    Publication synced = carrying("d", NEW);
    RegionStatuses.Summary summary =
        RegionStatuses.of(
            MODEL,
            1,
            List.of(down, refused, rolling, synced),
            List.of(
                new RegionServing(1, 1, OLD, null),
                new RegionServing(1, 1, OLD, null),
                new RegionServing(1, 2, NEW, null),
                new RegionServing(2, 2, NEW, null)),
            null,
            null);
    assertEquals(
        List.of(
            RegionStatus.UNREACHABLE,
            RegionStatus.FAILED,
            RegionStatus.PENDING,
            RegionStatus.SYNCED),
        summary.regions().stream().map(RegionStatus::getState).toList());
    assertEquals(
        "the region refuses the operator's writes (HTTP 403); its raters serve their last snapshot",
        summary.regions().get(1).getMessage());
    assertEquals(4L, summary.regions().get(3).getRevision());
    assertEquals(Instant.EPOCH.toString(), summary.regions().get(3).getLastSyncTime());
  }

  @Test
  void aRestartedOperatorKeepsTheRevisionAndTimeStatusRecorded() {
    Instant restart = Instant.parse("2026-06-01T00:00:00Z");
    Publication guessed =
        new Publication(
            "local",
            9,
            Map.of(MODEL, new Publication.Published("scorecard", NEW, 9, 1, restart, false)),
            Map.of(),
            Set.of(),
            restart,
            null,
            false);
    RegionStatus recorded = new RegionStatus("local", NEW, 4L, true, "2026-01-01T00:00:00Z", null);
    RegionStatus region =
        RegionStatuses.of(
                MODEL,
                1,
                List.of(guessed),
                List.of(new RegionServing(1, 1, NEW, null)),
                null,
                List.of(recorded))
            .regions()
            .get(0);
    assertEquals(4L, region.getRevision());
    assertEquals("2026-01-01T00:00:00Z", region.getLastSyncTime());

    RegionStatus otherDigest =
        new RegionStatus("local", OLD, 4L, true, "2026-01-01T00:00:00Z", null);
    RegionStatus fresh =
        RegionStatuses.of(
                MODEL,
                1,
                List.of(guessed),
                List.of(new RegionServing(1, 1, NEW, null)),
                null,
                List.of(otherDigest))
            .regions()
            .get(0);
    assertEquals(9L, fresh.getRevision(), "another digest is another form: the guess stands");
  }
}
