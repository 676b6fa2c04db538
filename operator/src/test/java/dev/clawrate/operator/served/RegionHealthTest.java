package dev.clawrate.operator.served;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clawrate.contract.heartbeat.Heartbeat;
import dev.clawrate.operator.publish.Publication;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A region's health from its publication and its raters. Pure. */
class RegionHealthTest {

  private static final Instant WRITTEN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant SOON = WRITTEN.plusSeconds(1);
  private static final Instant LATER = WRITTEN.plus(RegionHealth.CATCH_UP_GRACE).plusSeconds(1);

  private static Publication at(long revision) {
    return new Publication("eu", revision, Map.of(), Map.of(), Set.of(), WRITTEN, null, false);
  }

  private static Rater rater(String name, long revision, Heartbeat.Rejection rejected) {
    return new Rater(
        name,
        new Heartbeat("stable", revision, "sha256:" + "c".repeat(64), Map.of(), false, rejected));
  }

  @Test
  void everyRaterOnTheRevisionIsHealthy() {
    RegionHealth health =
        RegionHealth.of(at(7), List.of(rater("a", 7, null), rater("b", 7, null)), SOON);
    assertTrue(health.healthy());
    assertEquals(2, health.ratersCurrent());
    assertNull(health.reason());
  }

  @Test
  void ratersBehindAreNewsOnlyAfterTheGrace() {
    List<Rater> raters = List.of(rater("a", 7, null), rater("b", 6, null));
    assertEquals(RegionHealth.HEALTHY, RegionHealth.of(at(7), raters, SOON).state());
    RegionHealth late = RegionHealth.of(at(7), raters, LATER);
    assertEquals(RegionHealth.DEGRADED, late.state());
    assertEquals("1 of 2 raters have not loaded revision 7", late.reason());
  }

  @Test
  void aRaterRefusingTheRevisionIsDegradedAtOnce() {
    RegionHealth health =
        RegionHealth.of(
            at(7),
            List.of(rater("a", 6, new Heartbeat.Rejection(7, "module missing", SOON))),
            SOON);
    assertEquals(RegionHealth.DEGRADED, health.state());
    assertEquals(1, health.ratersRefusing());
    assertEquals("1 of 1 raters refuse revision 7", health.reason());
  }

  @Test
  void aRefusalOfAnOlderRevisionIsHistory() {
    RegionHealth health =
        RegionHealth.of(
            at(7),
            List.of(rater("a", 7, new Heartbeat.Rejection(5, "module missing", WRITTEN))),
            SOON);
    assertTrue(health.healthy());
  }

  @Test
  void noRaterIsDegradedAndAFailingRegionUnreachable() {
    assertEquals("no live rater", RegionHealth.of(at(3), List.of(), SOON).reason());
    Publication failing = at(3).failed(Map.of(), Set.of(), "HTTP 503", true);
    RegionHealth down = RegionHealth.of(failing, List.of(rater("a", 3, null)), SOON);
    assertEquals(RegionHealth.UNREACHABLE, down.state());
    assertEquals("does not answer: HTTP 503", down.reason());
    Publication refused = at(3).failed(Map.of(), Set.of(), "HTTP 403 Forbidden", false);
    assertEquals(
        "refuses the operator: HTTP 403 Forbidden",
        RegionHealth.of(refused, List.of(), SOON).reason());
  }

  @Test
  void nothingPublishedYetIsUnknown() {
    assertEquals(
        RegionHealth.UNKNOWN,
        RegionHealth.of(Publication.unknown("eu"), List.of(rater("a", 3, null)), SOON).state());
  }
}
